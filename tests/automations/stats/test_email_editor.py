"""The builder's e-mail preview and "send me a test"."""

import pytest
from django.urls import reverse

from automations.models import AutomationMessage
from bookings_app.models import OutgoingEmail

from ..builders import book

pytestmark = pytest.mark.urls("tests.automations.urls")

PREVIEW = reverse("automations_dashboard:email_preview")
TEST = reverse("automations_dashboard:email_test")


def builder_form(subject: str, body: str, *, kind: str = "email_client", **more) -> dict:
    """What the builder posts: the whole draft, and the place of the action to preview."""
    return {
        "name": "Welcome",
        "trigger": "client_books",
        "a-0-kind": "notify_team",
        "a-0-subject": "Team",
        "a-0-body": "New booking",
        "a-1-kind": kind,
        "a-1-subject": subject,
        "a-1-body": body,
        "action_index": "1",
        **more,
    }


@pytest.fixture
def alices_booking(massage, alice):
    return book(massage)


def test_it_previews_the_message_with_a_real_client_and_booking(client, olivia, alices_booking):
    client.force_login(olivia)

    response = client.post(PREVIEW, builder_form("Hi {client_first_name}", "See you for {service_name}."))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Hi Alice" in page and "See you for Massage." in page
    assert "Alice Martin" in page  # whose booking fills the example
    # the whole message, shown in a frame
    assert 'srcdoc="&lt;!doctype html&gt;\n&lt;html lang=&quot;en&quot;' in page


def test_it_previews_with_sample_values_when_nobody_has_booked(client, olivia, studio):
    client.force_login(olivia)

    page = client.post(PREVIEW, builder_form("Hi {client_first_name}", "Welcome")).content.decode()

    assert "Hi Alice" in page and "sample client" in page


def test_the_preview_reaches_only_variables_and_says_what_is_wrong(client, olivia, alices_booking):
    client.force_login(olivia)

    form = builder_form("Hi {client.email}", "<script>alert(1)</script> {points_earned}")

    response = client.post(PREVIEW, form)

    page = response.content.decode()
    assert response.status_code == 200
    assert "alice@client.test" not in page
    assert "Unknown variable: {client.email}" in page
    assert "This trigger does not know {points_earned}" in page
    assert "<script>alert(1)" not in page


def test_send_me_a_test_emails_the_owner_the_rendered_message(client, olivia, alices_booking):
    client.force_login(olivia)

    response = client.post(TEST, builder_form("Hi {client_first_name}", "See you soon."))

    assert response.status_code == 200
    assert "Test e-mail sent to" in response.content.decode()
    test = OutgoingEmail.objects.get(kind="automation_test")
    assert (test.to, test.subject) == ("olivia@studio.test", "[Test] Hi Alice")
    assert "See you soon." in test.body_text
    assert not AutomationMessage.objects.exists()


def test_send_me_a_test_without_an_address_says_so(client, olivia, alices_booking):
    olivia.email = ""
    olivia.save()
    client.force_login(olivia)

    response = client.post(TEST, builder_form("Hi", "There"))

    assert response.status_code == 400
    assert "no e-mail address" in response.content.decode()
    assert not OutgoingEmail.objects.filter(kind="automation_test").exists()


@pytest.mark.parametrize(
    "form",
    [
        builder_form("Hi", "There", action_index="7"),
        builder_form("Hi", "There", kind="add_label"),
        builder_form("Hi", "There", action_index="x"),
    ],
)
def test_an_action_that_sends_no_email_is_refused(client, olivia, studio, form):
    client.force_login(olivia)

    assert client.post(PREVIEW, form).status_code == 400
    assert client.post(TEST, form).status_code == 400


@pytest.mark.parametrize("url", [PREVIEW, TEST])
def test_only_the_owner_may_preview_or_send_tests(client, sam, carla, studio, url):
    assert client.post(url, builder_form("Hi", "There")).status_code == 302
    for person in (carla, sam):
        client.force_login(person)
        assert client.post(url, builder_form("Hi", "There")).status_code == 403
    assert client.get(url).status_code == 403
    assert not OutgoingEmail.objects.exists()
