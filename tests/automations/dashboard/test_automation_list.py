"""Your automations: the list, its switch, and the "More actions" verbs."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from automations.models import Automation, Run, RunReason, RunStatus
from tests.automations.builders import automation, checked_in

LIST = reverse("automations_dashboard:list")


def test_it_lists_each_automation_with_its_trigger_in_words_and_its_runs(
    owner_client, welcome, massage, nina, alice, worker
):
    checked_in(massage, nina, alice)
    worker.process_events()

    page = owner_client.get(LIST)

    row = page.context["page"].object_list[0]
    assert (row.name, row.runs_30_days, row.last_run_at is not None) == ("Welcome", 1, True)
    assert "Client is checked in for the first time" not in page.content.decode()
    assert "A client is checked in for the first time" in page.content.decode()


def test_it_searches_and_paginates(owner_client, studio):
    for number in range(25):
        automation("client_books", name=f"Rule {number:02}")
    automation("client_books", name="Birthday")

    first = owner_client.get(LIST)
    found = owner_client.get(LIST, {"q": "birth"}, headers={"HX-Request": "true"})

    assert first.context["page"].paginator.num_pages == 2
    assert "Birthday" in found.content.decode() and "Rule 01" not in found.content.decode()


def test_it_switches_an_automation_off_and_on_without_a_reload(owner_client, welcome):
    url = reverse("automations_dashboard:toggle", args=[welcome.pk])

    off = owner_client.post(url, {"active": "0"}, headers={"HX-Request": "true"})
    welcome.refresh_from_db()
    assert welcome.is_active is False
    assert 'aria-checked="false"' in off.content.decode() and "<html" not in off.content.decode()

    owner_client.post(url, {"active": "1"}, headers={"HX-Request": "true"})
    welcome.refresh_from_db()
    assert welcome.is_active is True


def test_switching_off_skips_the_runs_still_waiting(owner_client, welcome, massage, nina, alice, worker):
    checked_in(massage, nina, alice)
    worker.process_events()

    owner_client.post(reverse("automations_dashboard:toggle", args=[welcome.pk]), {"active": "0"})

    assert list(Run.objects.values_list("status", "reason")) == [
        (RunStatus.SKIPPED, RunReason.AUTOMATION_OFF)
    ]


def test_it_duplicates_an_automation_and_the_copy_starts_off(owner_client, welcome):
    response = owner_client.post(reverse("automations_dashboard:duplicate", args=[welcome.pk]))

    copy = Automation.objects.exclude(pk=welcome.pk).get()
    assert response.url == reverse("automations_dashboard:edit", args=[copy.pk])
    assert (copy.name, copy.is_active, copy.actions.count()) == ("Copy of Welcome", False, 1)


def test_it_renames_inline(owner_client, welcome):
    url = reverse("automations_dashboard:rename", args=[welcome.pk])

    form = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    renamed = owner_client.post(url, {"name": "  Hello newcomers "}, headers={"HX-Request": "true"})

    assert 'name="name"' in form and "<html" not in form
    welcome.refresh_from_db()
    assert welcome.name == "Hello newcomers"
    assert "Hello newcomers" in renamed.content.decode()


def test_it_refuses_an_empty_name(owner_client, welcome):
    response = owner_client.post(
        reverse("automations_dashboard:rename", args=[welcome.pk]),
        {"name": " "},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    assert "Give the automation a name." in response.content.decode()
    welcome.refresh_from_db()
    assert welcome.name == "Welcome"


def test_it_deletes_after_confirmation_and_keeps_the_history_readable(
    owner_client, welcome, massage, nina, alice, worker
):
    checked_in(massage, nina, alice)
    worker.process_events()
    url = reverse("automations_dashboard:delete", args=[welcome.pk])

    confirm = owner_client.get(url)
    owner_client.post(url)

    assert "Delete “\u2068Welcome\u2069”?" in confirm.content.decode()  # the name isolated
    welcome.refresh_from_db()
    assert welcome.deleted_at is not None and not welcome.is_active
    assert list(owner_client.get(LIST).context["page"].object_list) == []
    summary = owner_client.get(reverse("automations_dashboard:summary", args=[welcome.pk]))
    assert summary.status_code == 200 and summary.context["page"].paginator.count == 1
    assert owner_client.get(reverse("automations_dashboard:edit", args=[welcome.pk])).status_code == 404


def test_the_list_reads_in_a_fixed_number_of_queries(owner_client, studio, django_assert_max_num_queries):
    for number in range(20):
        automation("client_books", name=f"Rule {number:02}")
    with django_assert_max_num_queries(12):
        owner_client.get(LIST)
    assert timezone.now() - timedelta(days=1) < Automation.objects.first().created_at
