"""Each trigger, from a real domain event (made by the bookings services) to an executed action."""

from datetime import timedelta

import pytest
from django.utils import timezone

from automations.models import RunStatus
from bookings_app.core.events import record_event
from bookings_app.models import EventKind, OutgoingEmail
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.sessions import emit_session_events
from loyalty.events import GIFT_CARD_ISSUED, POINTS_EARNED
from tests import factories as f

from .builders import ALICE, automation, book, checked_in, email_client


def automation_emails():
    return list(OutgoingEmail.objects.filter(kind="automation").order_by("pk"))


def test_it_welcomes_a_client_who_books(worker, massage, alice):
    automation(
        "client_books",
        actions=[
            email_client("Welcome {client_first_name}", "See you at {service_name} on {session_start}.")
        ],
    )
    booking = book(massage)

    runs = worker.deliver()

    assert [run.status for run in runs] == [RunStatus.DONE]
    assert runs[0].booking == booking and runs[0].client == alice
    [email] = automation_emails()
    assert (email.to, email.subject) == ("alice@client.test", "Welcome Alice")
    assert "See you at Massage on" in email.body_text


def test_it_follows_up_a_cancellation_but_not_the_booking(worker, massage, alice):
    automation("client_cancels", actions=[email_client("Sorry to miss you, {client_first_name}")])
    booking = book(massage)
    cancel_booking(booking=booking, by_client=True)

    runs = worker.deliver()

    assert [(run.booking, run.status) for run in runs] == [(booking, RunStatus.DONE)]
    assert [email.subject for email in automation_emails()] == ["Sorry to miss you, Alice"]


def test_it_does_not_treat_the_owners_cancellation_as_the_clients(worker, massage, alice, olivia):
    automation("client_cancels", actions=[email_client("Sorry to miss you")])
    booking = book(massage)
    cancel_booking(booking=booking, by_client=False, by=olivia)

    assert worker.deliver() == []
    assert automation_emails() == []


@pytest.mark.parametrize(
    ("cancelled_by", "fires_for"),
    [
        ("client", ["client"]),
        ("team", ["owner"]),
        ("either", ["client", "owner"]),
    ],
)
def test_it_offers_the_choice_of_who_cancelled(worker, massage, olivia, cancelled_by, fires_for):
    automation("client_cancels", trigger_params={"by": cancelled_by}, actions=[email_client("Cancelled")])
    by_client = book(massage, weekday=1)
    by_owner = book(massage, weekday=2)
    cancel_booking(booking=by_client, by_client=True)
    cancel_booking(booking=by_owner, by_client=False, by=olivia)

    runs = worker.deliver()

    names = {by_client.pk: "client", by_owner.pk: "owner"}
    assert sorted(names[run.booking_id] for run in runs) == fires_for


def test_it_greets_a_first_visit_once(worker, yoga, nina, alice):
    automation("first_check_in", actions=[email_client("Welcome to the studio")])
    first = checked_in(yoga, nina, alice, days_ago=2)
    checked_in(yoga, nina, alice, days_ago=1)

    runs = worker.deliver()

    assert [(run.booking, run.status) for run in runs] == [(first, RunStatus.DONE)]


def test_it_celebrates_the_fifth_visit_only(worker, yoga, nina, alice):
    automation("check_in_number", trigger_params={"visits": 5}, actions=[email_client("Five visits!")])
    visits = [checked_in(yoga, nina, alice, days_ago=10 - day) for day in range(6)]

    runs = worker.deliver()

    assert [run.booking for run in runs] == [visits[4]]
    assert [email.subject for email in automation_emails()] == ["Five visits!"]


def test_it_acts_on_every_check_in(worker, yoga, nina, alice, bob):
    automation("check_in", actions=[email_client("Thanks for coming, {client_first_name}")])
    first = checked_in(yoga, nina, alice)
    checked_in(yoga, nina, bob, session=first.session)

    runs = worker.deliver()

    assert [run.status for run in runs] == [RunStatus.DONE, RunStatus.DONE]
    assert sorted(email.subject for email in automation_emails()) == [
        "Thanks for coming, Alice",
        "Thanks for coming, Bob",
    ]


def test_it_misses_a_client_absent_for_thirty_days_once_per_absence(worker, yoga, nina, alice, bob):
    automation("last_check_in", trigger_params={"days": 30}, actions=[email_client("We miss you")])
    checked_in(yoga, nina, alice, days_ago=31)
    checked_in(yoga, nina, bob, days_ago=10)

    assert worker.scan() == 1
    assert worker.scan() == 0
    worker.run_due()

    assert [email.to for email in automation_emails()] == ["alice@client.test"]


def test_it_misses_the_client_again_after_a_new_visit_and_a_new_absence(worker, yoga, nina, alice):
    automation("last_check_in", trigger_params={"days": 30}, actions=[email_client("We miss you")])
    checked_in(yoga, nina, alice, days_ago=62)
    assert worker.scan(now=timezone.now() - timedelta(days=31)) == 1
    checked_in(yoga, nina, alice, days_ago=31)

    assert worker.scan() == 1
    worker.run_due()

    assert len(automation_emails()) == 2


@pytest.fixture
def yoga_class_now(yoga, nina, alice, bob):
    """A yoga session that started 30 minutes ago: Alice and Bob booked, Carol cancelled."""
    session = f.session(yoga, nina, timezone.now() - timedelta(minutes=30))
    f.booking(session, alice)
    f.booking(session, bob)
    f.booking(session, f.client("Carol"), status="cancelled")
    return session


def test_it_greets_each_client_when_the_session_starts(worker, yoga_class_now):
    automation("session_starts", actions=[email_client("Enjoy {service_name}")])
    emit_session_events()

    runs = worker.deliver()

    assert sorted(run.client.first_name for run in runs) == ["Alice", "Bob"]
    assert {run.status for run in runs} == {RunStatus.DONE}
    assert len(automation_emails()) == 2


def test_it_sends_the_team_the_roster_once_per_session(worker, yoga_class_now, olivia):
    automation(
        "session_starts",
        trigger_params={"per": "session"},
        actions=[
            {
                "kind": "notify_team",
                "settings": {
                    "recipients": "owners_and_staff",
                    "subject": "{service_name} starts",
                    "body": "Roster:",
                },
            }
        ],
    )
    emit_session_events()

    [run] = worker.deliver()

    assert run.status == RunStatus.DONE and run.client is None
    emails = list(OutgoingEmail.objects.filter(kind="automation_team").order_by("to"))
    assert [email.to for email in emails] == ["nina@studio.test", "olivia@studio.test"]
    assert "alice@client.test" in emails[0].body_text and "bob@client.test" in emails[0].body_text
    assert "Carol" not in emails[0].body_text


def test_it_thanks_each_client_when_the_session_ends(worker, yoga, nina, alice):
    session = f.session(yoga, nina, timezone.now() - timedelta(hours=2))
    f.booking(session, alice)
    automation("session_ends", actions=[email_client("Thank you for coming")])
    emit_session_events()

    runs = worker.deliver()

    assert [(run.client, run.status) for run in runs] == [(alice, RunStatus.DONE)]
    assert runs[0].event.kind == EventKind.SESSION_ENDED


@pytest.mark.parametrize(
    ("trigger", "kind"),
    [
        ("booking_requested", EventKind.BOOKING_REQUESTED),
        ("booking_approved", EventKind.BOOKING_APPROVED),
        ("booking_declined", EventKind.BOOKING_DECLINED),
    ],
)
def test_it_acts_on_booking_requests(worker, massage, nina, alice, trigger, kind):
    # The approvals feature writes these events; the trigger only reads the outbox.
    booking = f.booking(
        f.session(massage, nina, timezone.now() + timedelta(days=3)), alice, status="requested"
    )
    automation(trigger, actions=[email_client("About your request for {service_name}")])
    record_event(EventKind.BOOKING_CREATED, booking=booking)
    record_event(kind, booking=booking)

    runs = worker.deliver()

    assert [(run.event.kind, run.status) for run in runs] == [(kind, RunStatus.DONE)]
    assert [email.subject for email in automation_emails()] == ["About your request for Massage"]


def test_it_thanks_a_client_for_the_points_earned(worker, alice):
    # The loyalty app writes this event with {"points": n}.
    automation("points_earned", actions=[email_client("You earned {points_earned} points")])
    record_event(POINTS_EARNED, client=alice, payload={"points": 20})

    [run] = worker.deliver()

    assert run.status == RunStatus.DONE
    assert [email.subject for email in automation_emails()] == ["You earned 20 points"]


def test_it_acts_when_a_gift_card_is_issued(worker, alice):
    automation("gift_card_issued", actions=[email_client("Your gift card is ready, {client_first_name}")])
    record_event(GIFT_CARD_ISSUED, client=alice, payload={"gift_card_id": 7, "value": "25.00"})

    [run] = worker.deliver()

    assert run.status == RunStatus.DONE and run.facts == {}
    assert [email.subject for email in automation_emails()] == ["Your gift card is ready, Alice"]


def test_it_listens_only_to_the_chosen_services(worker, massage, yoga, nina, alice):
    automation("client_books", services=[yoga])
    massage_booking = book(massage)
    session = f.session(yoga, nina, massage_booking.session.start + timedelta(days=1))  # not over it
    seat = book_class_seat(session=session, details=ALICE)

    runs = worker.deliver()

    assert [run.booking for run in runs] == [seat]


def test_an_automation_that_is_off_makes_no_runs(worker, massage, alice):
    automation("client_books", is_active=False)
    book(massage)

    assert worker.deliver() == []
