"""The admin lists and builds automations; the run log is read-only; deleting keeps history."""

import pytest

from automations.models import Automation, Run, RunStatus
from bookings_app.models import User

from .builders import automation, book, email_client


@pytest.fixture
def admin_client(client, studio):
    client.force_login(User.objects.create_superuser("admin@studio.test", "s3cret-pass!"))
    return client


@pytest.mark.parametrize("model", ["automation", "run", "frequencymark", "task", "emailoptout"])
def test_every_model_has_its_list(admin_client, model):
    assert admin_client.get(f"/admin/automations/{model}/").status_code == 200


def test_a_run_can_be_read_but_not_changed(admin_client, worker, massage, alice):
    automation("client_books")
    book(massage)
    [run] = worker.deliver()

    page = admin_client.get(f"/admin/automations/run/{run.pk}/change/")

    assert page.status_code == 200
    assert "E-mail to alice@client.test" in page.content.decode()
    assert admin_client.post(f"/admin/automations/run/{run.pk}/change/", {}).status_code == 403


def test_the_admin_refuses_an_automation_with_a_bad_trigger(admin_client):
    response = admin_client.post(
        "/admin/automations/automation/add/",
        {
            "name": "Odd",
            "trigger": "client_sneezes",
            "trigger_params": "{}",
            "delay_amount": 0,
            "delay_unit": "minutes",
            "delay_direction": "after",
            "frequency": "every_time",
            "conditions": "[]",
            "webhook_secret": "s",
            "is_active": "on",
            "actions-TOTAL_FORMS": 1,
            "actions-INITIAL_FORMS": 0,
            "actions-MIN_NUM_FORMS": 1,
            "actions-MAX_NUM_FORMS": 1000,
            "actions-0-order": 1,
            "actions-0-kind": "email_client",
            "actions-0-settings": '{"subject": "Hi", "body": "Hello"}',
        },
    )

    assert response.status_code == 200
    assert "“client_sneezes” is not a trigger Rendez knows." in response.content.decode()
    assert not Automation.objects.exists()


def test_actions_added_in_the_admin_get_numbers_never_given_before(admin_client, studio):
    welcome = automation("client_books", actions=[email_client("One"), email_client("Two")])
    welcome.actions.filter(order=2).delete()  # "Two" had number 2: it is never given again
    form = {
        "name": "Welcome",
        "trigger": "client_books",
        "trigger_params": "{}",
        "delay_amount": 0,
        "delay_unit": "minutes",
        "delay_direction": "after",
        "frequency": "every_time",
        "conditions": "[]",
        "webhook_secret": welcome.webhook_secret,
        "is_active": "on",
        "actions-TOTAL_FORMS": 2,
        "actions-INITIAL_FORMS": 1,
        "actions-MIN_NUM_FORMS": 1,
        "actions-MAX_NUM_FORMS": 1000,
        "actions-0-id": welcome.actions.get().pk,
        "actions-0-automation": welcome.pk,
        "actions-0-order": 1,
        "actions-0-kind": "email_client",
        "actions-0-settings": '{"subject": "One", "body": "Hello"}',
        "actions-1-automation": welcome.pk,
        "actions-1-order": 2,
        "actions-1-kind": "email_client",
        "actions-1-settings": '{"subject": "Three", "body": "Hello"}',
    }

    response = admin_client.post(f"/admin/automations/automation/{welcome.pk}/change/", form)

    assert response.status_code == 302
    assert list(welcome.actions.values_list("order", "position", "settings__subject")) == [
        (1, 1, "One"),
        (2, 3, "Three"),
    ]


def test_deleting_from_the_admin_keeps_the_run_log(admin_client, worker, massage, alice):
    welcome = automation("client_books")
    book(massage)
    worker.deliver()

    admin_client.post(
        "/admin/automations/automation/",
        {"action": "delete_keeping_history", "_selected_action": [welcome.pk]},
    )

    welcome.refresh_from_db()
    assert welcome.deleted_at is not None
    assert list(Run.objects.values_list("status", flat=True)) == [RunStatus.DONE]
