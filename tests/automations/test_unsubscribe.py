"""Unsubscribing: the link and the one-click headers, the page, and what is still sent after."""

import pytest
from django.test import Client as Browser
from django.urls import resolve, reverse

from automations.models import EmailOptOut, Run, RunReason, RunStatus
from automations.unsubscribe import UNSUBSCRIBE_PATH, unsubscribe_token
from bookings_app.models import OutgoingEmail

from .builders import automation, book, email_client

pytestmark = pytest.mark.urls("tests.automations.urls")


@pytest.fixture
def newsletter(massage, alice):
    return automation("client_books", actions=[email_client("News from {business_name}", "Hello!")])


def alices_email(worker, massage) -> OutgoingEmail:
    book(massage)
    worker.deliver()
    return OutgoingEmail.objects.get(kind="automation")


def test_each_automation_email_carries_the_link_and_one_click_headers(worker, newsletter, massage, alice):
    email = alices_email(worker, massage)
    link = "http://127.0.0.1:8000" + reverse("automations:unsubscribe", args=[unsubscribe_token(alice)])

    assert email.headers["List-Unsubscribe"] == f"<{link}>"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.body_text and f'href="{link}"' in email.body_html


def test_the_link_asks_before_unsubscribing(client, alice):
    response = client.get(reverse("automations:unsubscribe", args=[unsubscribe_token(alice)]))

    assert response.status_code == 200
    assert "Yes, unsubscribe me" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_a_one_click_post_without_csrf_token_unsubscribes(alice):
    browser = Browser(enforce_csrf_checks=True)
    response = browser.post(
        reverse("automations:unsubscribe", args=[unsubscribe_token(alice)]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert EmailOptOut.objects.filter(client=alice).exists()
    assert (
        browser.post(reverse("automations:unsubscribe", args=[unsubscribe_token(alice)])).status_code == 200
    )


def test_a_tampered_link_is_not_found(client, alice):
    token = unsubscribe_token(alice)
    assert client.post(reverse("automations:unsubscribe", args=[token[:-2] + "xx"])).status_code == 404


def test_an_unsubscribed_client_gets_no_automation_email_but_still_the_booking_confirmation(
    worker, newsletter, massage, alice, client
):
    client.post(reverse("automations:unsubscribe", args=[unsubscribe_token(alice)]))

    book(massage)
    [run] = worker.deliver()

    assert (run.status, run.reason) == (RunStatus.SKIPPED, RunReason.CLIENT_UNSUBSCRIBED)
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["confirmation"]


def test_only_the_email_is_left_out_when_the_automation_does_more(worker, massage, alice, client):
    from bookings_app.models import Label

    regular = Label.objects.create(name="Regular")
    automation(
        "client_books", actions=[email_client(), {"kind": "add_label", "settings": {"label": regular.pk}}]
    )
    client.post(reverse("automations:unsubscribe", args=[unsubscribe_token(alice)]))

    book(massage)
    [run] = worker.deliver()

    assert run.status == RunStatus.DONE
    assert list(run.outcomes.values_list("status", "detail")) == [
        ("skipped", "Client unsubscribed"),
        ("done", "Label “Regular” added"),
    ]
    assert list(alice.labels.all()) == [regular]
    assert not OutgoingEmail.objects.filter(kind="automation").exists()
    assert Run.objects.count() == 1


@pytest.mark.urls("config.urls")
def test_the_site_routes_the_unsubscribe_link(alice):
    """The e-mailed unsubscribe link resolves on the real site."""
    resolve(UNSUBSCRIBE_PATH.format(token=unsubscribe_token(alice)))
