"""What each action does: e-mail wording and escaping, team e-mails, tasks, labels, points."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from automations import integrations
from automations.models import RunStatus, Task
from bookings_app.models import Business, Label, OutgoingEmail
from bookings_app.services.client_matching import ClientDetails

from .builders import automation, book, email_client


def test_it_fills_in_the_variables_and_escapes_them_in_html(worker, massage, studio):
    automation(
        "client_books",
        actions=[
            email_client(
                "{client_first_name}, your {service_name}",
                "Dear {client_name},\nsee you on {session_start} with {staff_name}"
                " at {business_name}. {points_balance} points.",
            )
        ],
    )
    book(massage, ClientDetails(email="al@client.test", first_name="<b>Al</b>", last_name="Smith & Co"))

    worker.deliver()

    email = OutgoingEmail.objects.get(kind="automation")
    assert email.subject == "<b>Al</b>, your Massage"
    assert "Dear <b>Al</b> Smith & Co,\nsee you on" in email.body_text
    assert "with Nina at Studio Lumen. 0 points." in email.body_text
    assert "Dear &lt;b&gt;Al&lt;/b&gt; Smith &amp; Co,<br>see you on" in email.body_html
    assert "<b>Al</b>" not in email.body_html


def test_it_shows_the_session_time_in_the_clients_time_zone(worker, massage, studio):
    automation("client_books", actions=[email_client(body="At {session_start}")])
    booking = book(
        massage,
        ClientDetails(email="al@client.test", first_name="Al", time_zone="America/Montreal"),
        at="10:00",
    )

    worker.deliver()

    # 04:00 most of the year; 05:00 in the week or two when only one side of the Atlantic has
    # changed its clocks.
    in_montreal = booking.session.start.astimezone(ZoneInfo("America/Montreal"))
    assert in_montreal.hour in (4, 5)
    assert f"{in_montreal:%H:%M}" in OutgoingEmail.objects.get(kind="automation").body_text


def test_the_points_balance_comes_from_the_loyalty_app_when_it_is_there(worker, massage, alice, monkeypatch):
    monkeypatch.setitem(integrations.variable_providers._providers, "points_balance", lambda client: 120)
    automation("client_books", actions=[email_client(body="You have {points_balance} points.")])
    book(massage)
    worker.deliver()

    assert "You have 120 points." in OutgoingEmail.objects.get(kind="automation").body_text


def test_it_notifies_the_owner(worker, massage, alice, olivia):
    automation(
        "client_books",
        actions=[
            {
                "kind": "notify_team",
                "settings": {
                    "subject": "New booking: {client_name}",
                    "body": "{client_name} booked {service_name}.",
                },
            }
        ],
    )
    book(massage)

    worker.deliver()

    [email] = OutgoingEmail.objects.filter(kind="automation_team")
    assert (email.to, email.subject) == ("olivia@studio.test", "New booking: Alice Martin")
    assert "List-Unsubscribe" not in email.headers


def test_it_fails_without_anyone_to_notify(worker, massage, alice):
    automation(
        "client_books", actions=[{"kind": "notify_team", "settings": {"subject": "New", "body": "New"}}]
    )
    book(massage)

    [run] = worker.deliver()

    assert run.status == RunStatus.FAILED
    assert run.detail == "Nobody to notify: no owner or staff member has an e-mail address."


def test_it_creates_a_task_for_the_team(worker, massage, alice, sam):
    automation(
        "client_books",
        actions=[
            {
                "kind": "create_task",
                "settings": {
                    "title": "Call {client_first_name} about {service_name}",
                    "notes": "First booking",
                    "due_in_days": 2,
                    "assignee": sam.pk,
                },
            }
        ],
    )
    book(massage)

    [run] = worker.deliver()

    task = Task.objects.get()
    assert (task.title, task.notes, task.assignee, task.client, task.run) == (
        "Call Alice about Massage",
        "First booking",
        sam,
        alice,
        run,
    )
    assert task.due_date == timezone.localdate(timezone=Business.current().tz) + timedelta(
        days=2
    )  # the owner's day


def test_it_adds_and_removes_client_labels(worker, massage, alice):
    new, regular = Label.objects.create(name="New"), Label.objects.create(name="Regular")
    alice.labels.add(new)
    automation(
        "client_books",
        actions=[
            {"kind": "remove_label", "settings": {"label": new.pk}},
            {"kind": "add_label", "settings": {"label": regular.pk}},
        ],
    )
    book(massage)

    worker.deliver()

    assert list(alice.labels.values_list("name", flat=True)) == ["Regular"]


@pytest.fixture
def loyalty(monkeypatch):
    """A stand-in for loyalty's points service in its slot: the credits asked for."""
    ledger: list[tuple] = []

    def add_points(*, client, points, description):
        ledger.append((client.email, points, description))

    monkeypatch.setattr(integrations.points_adder, "function", add_points)
    return ledger


def test_it_adds_loyalty_points_through_the_loyalty_app(worker, massage, alice, loyalty):
    automation(
        "client_books", name="Booking bonus", actions=[{"kind": "add_points", "settings": {"points": 10}}]
    )
    book(massage)

    [run] = worker.deliver()

    assert run.status == RunStatus.DONE
    assert loyalty == [("alice@client.test", 10, "Booking bonus")]
