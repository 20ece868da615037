"""The builder: from scratch, from a gallery template, steps in place, refusing what is incomplete."""

import re

import pytest
from django.urls import reverse

from automations import gallery
from automations.drafts import Draft
from automations.models import Action, Automation
from automations.services import update_automation

BUILD = reverse("automations_dashboard:build")

FIRST_VISIT_EMAIL = {
    "name": "Welcome",
    "app": "bookings",
    "trigger": "first_check_in",
    "has_delay": "1",
    "delay_amount": "2",
    "delay_unit": "hours",
    "delay_direction": "after",
    "frequency": "every_time",
    "a-0-kind": "email_client",
    "a-0-subject": "Welcome {client_first_name}!",
    "a-0-body": "Nice to meet you.",
}


def _action_kinds(response) -> list[str]:
    """The kind chosen in each action's select, top to bottom, as the page shows them."""
    page = response.content.decode()
    selects = re.findall(r'<select id="a-\d+-kind".*?</select>', page, flags=re.S)
    return [(re.findall(r'<option value="(\w*)" selected>', select) or [""])[0] for select in selects]


def test_it_creates_an_automation_from_scratch_and_switches_it_on(owner_client, studio):
    response = owner_client.post(BUILD, {**FIRST_VISIT_EMAIL, "op": "activate"})

    automation = Automation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("automations_dashboard:summary", args=[automation.pk])
    assert (automation.name, automation.trigger, automation.delay_amount, automation.delay_unit) == (
        "Welcome",
        "first_check_in",
        2,
        "hours",
    )
    assert automation.is_active
    assert list(automation.actions.values_list("kind", "settings__subject")) == [
        ("email_client", "Welcome {client_first_name}!")
    ]


def test_it_saves_an_automation_switched_off_when_not_activated(owner_client, studio):
    owner_client.post(BUILD, {**FIRST_VISIT_EMAIL, "op": "save"})

    assert Automation.objects.get().is_active is False


def test_it_opens_every_gallery_template_pre_filled_and_saves_it(owner_client, studio):
    assert len(gallery.TEMPLATES) >= 10
    for template in gallery.TEMPLATES:
        page = owner_client.get(BUILD, {"template": template.key})
        assert page.status_code == 200
        assert str(template.name) in page.content.decode()
        draft = page.context["draft"]
        assert draft.trigger == template.trigger
        assert not draft.problems(), template.key


def test_it_creates_an_automation_from_a_template(owner_client, studio):
    template = gallery.find("reminder_24h")
    draft = template.as_draft()
    data = {
        "name": draft["name"],
        "app": "bookings",
        "trigger": draft["trigger"],
        "param_per": "client",
        "has_delay": "1",
        "delay_amount": "24",
        "delay_unit": "hours",
        "delay_direction": "before",
        "frequency": "every_time",
        "a-0-kind": "email_client",
        "a-0-subject": draft["actions"][0]["settings"]["subject"],
        "a-0-body": draft["actions"][0]["settings"]["body"],
        "op": "activate",
    }

    owner_client.post(BUILD, data)

    automation = Automation.objects.get()
    assert (automation.trigger, automation.delay_direction, automation.trigger_params) == (
        "session_starts",
        "before",
        {"per": "client"},
    )


@pytest.mark.parametrize(
    "broken, where",
    [
        ({"a-0-kind": None, "a-0-subject": None, "a-0-body": None}, "Add at least one action."),
        ({"a-0-subject": ""}, "Write the subject."),
        ({"c-0-0-field": "visits", "c-0-0-operator": "gt", "c-0-0-value": ""}, "is not a valid value"),
    ],
)
def test_it_refuses_to_activate_an_incomplete_automation_and_says_what_is_missing(
    owner_client, studio, broken, where
):
    data = {**FIRST_VISIT_EMAIL, "op": "activate"}
    for name, value in broken.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value

    response = owner_client.post(BUILD, data)

    assert response.status_code == 400
    assert not Automation.objects.exists()
    page = response.content.decode()
    assert "Not saved: finish the highlighted parts first." in page
    assert where in page


def test_it_highlights_the_action_missing_its_subject(owner_client, studio):
    response = owner_client.post(BUILD, {**FIRST_VISIT_EMAIL, "a-0-subject": "", "op": "activate"})

    assert ("action", 0) in response.context["problems"]
    assert "action-step--invalid" in response.content.decode()


def test_it_adds_moves_and_removes_actions_in_place(owner_client, studio):
    data = {**FIRST_VISIT_EMAIL, "a-1-kind": "create_task", "a-1-title": "Call {client_name}"}

    moved = owner_client.post(BUILD, {**data, "op": "up:1"}, headers={"HX-Request": "true"})
    added = owner_client.post(BUILD, {**data, "op": "add_action"}, headers={"HX-Request": "true"})
    removed = owner_client.post(BUILD, {**data, "op": "remove_action:0"}, headers={"HX-Request": "true"})

    assert _action_kinds(moved) == ["create_task", "email_client"]
    assert _action_kinds(added) == ["email_client", "create_task", ""]
    assert _action_kinds(removed) == ["create_task"]
    assert not Automation.objects.exists()


def test_it_offers_only_the_actions_and_criteria_that_fit_the_trigger(owner_client, studio):
    team_only = {
        "name": "Roster",
        "app": "bookings",
        "trigger": "session_starts",
        "param_per": "session",
    }

    page = owner_client.post(BUILD, {**team_only, "op": "add_group"}, headers={"HX-Request": "true"})
    page = owner_client.post(
        BUILD, {**team_only, "c-0-0-field": "", "op": "add_action"}, headers={"HX-Request": "true"}
    ).content.decode()

    criterion = re.search(r'<select id="c-0-0-field".*?</select>', page, flags=re.S)[0]
    action = re.search(r'<select id="a-0-kind".*?</select>', page, flags=re.S)[0]
    assert 'value="notify_team"' in action and 'value="email_client"' not in action
    assert 'value="service"' in criterion and 'value="visits"' not in criterion


def test_it_validates_each_change_in_place(owner_client, studio):
    response = owner_client.post(
        BUILD, {**FIRST_VISIT_EMAIL, "a-0-body": "Hi {unknown}"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "Unknown variable: {unknown}" in response.content.decode()
    assert not Automation.objects.exists()


def test_it_edits_an_automation_and_replaces_its_actions(owner_client, welcome):
    url = reverse("automations_dashboard:edit", args=[welcome.pk])
    data = {
        **FIRST_VISIT_EMAIL,
        "name": "Warm welcome",
        "a-0-kind": "create_task",
        "a-0-title": "Call {client_name}",
        "op": "save",
    }

    owner_client.post(url, data)

    welcome.refresh_from_db()
    assert welcome.name == "Warm welcome"
    assert welcome.is_active  # saving keeps it on
    assert list(Action.objects.filter(automation=welcome).values_list("kind", flat=True)) == ["create_task"]


def _action_numbers(response) -> list[str]:
    return re.findall(r'<input type="hidden" name="a-\d+-number" value="(\d+)">', response.content.decode())


def test_a_moved_action_keeps_its_number_so_its_runs_and_statistics_follow_it(owner_client, welcome):
    update_automation(
        automation=welcome,
        actions=[
            *Draft.from_automation(welcome).actions,
            {"kind": "create_task", "settings": {"title": "Call"}},
        ],
    )
    url = reverse("automations_dashboard:edit", args=[welcome.pk])
    assert _action_numbers(owner_client.get(url)) == ["1", "2"]
    data = {
        **FIRST_VISIT_EMAIL,
        "a-0-number": "1",
        "a-1-kind": "create_task",
        "a-1-title": "Call",
        "a-1-number": "2",
    }

    moved = owner_client.post(url, {**data, "op": "up:1"}, headers={"HX-Request": "true"})
    assert _action_numbers(moved) == ["2", "1"]
    swapped = {
        **FIRST_VISIT_EMAIL,
        "a-1-number": "1",
        "a-0-kind": "create_task",
        "a-0-title": "Call",
        "a-0-number": "2",
        "a-1-kind": "email_client",
        "a-1-subject": "Welcome!",
        "a-1-body": "Hi",
        "op": "save",
    }
    owner_client.post(url, swapped)

    assert list(welcome.actions.values_list("order", "position", "kind")) == [
        (1, 2, "create_task"),
        (2, 1, "email_client"),
    ]


def test_the_email_action_offers_the_triggers_variables_and_the_editor_extras(owner_client, welcome):
    page = owner_client.get(reverse("automations_dashboard:edit", args=[welcome.pk])).content.decode()

    assert 'data-insert="{client_first_name}"' in page
    assert 'data-insert="{points_earned}"' not in page  # the first visit earns no points


def test_it_asks_for_a_trigger_and_a_name_before_anything_else(owner_client, studio):
    response = owner_client.post(BUILD, {"name": "", "app": "", "op": "activate"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a trigger." in page and "Give the automation a name." in page


def test_while_building_it_waits_for_save_to_say_what_is_still_missing(owner_client, studio):
    started = {"app": "bookings", "trigger": "client_books", "op": "validate"}

    building = owner_client.post(BUILD, started)
    typo = owner_client.post(
        BUILD, {**started, "a-0-kind": "email_client", "a-0-subject": "Hi {nme}", "a-0-body": "Hello"}
    )
    saving = owner_client.post(BUILD, {**started, "op": "save"})

    assert building.status_code == 200 and building.context["problems"] == {}
    assert typo.context["problems"] == {
        ("action", 0): [
            "Unknown variable: {nme}. You can use: {client_first_name}, {client_name}, {service_name}, "
            "{session_start}, {staff_name}, {business_name}, {points_balance}."
        ]
    }
    assert saving.status_code == 400
    assert saving.context["problems"]["name"] == ["Give the automation a name."]
    assert saving.context["problems"]["actions"] == ["Add at least one action."]
