"""Points credited after a visit, exactly once; taken back once when the booking is cancelled."""

from datetime import timedelta

from celery import current_app
from django.utils import timezone

from bookings_app.models import Attendance, Booking, BookingStatus, DomainEvent, EventKind, OutgoingEmail
from bookings_app.services.changes import cancel_booking
from loyalty import tasks
from loyalty.ledger_check import check_ledger
from loyalty.models import EntryKind, LedgerEntry, Program, ServicePoints
from loyalty.selectors import balance_of
from loyalty.services import (
    adjust_points,
    credit_points_for_ended_sessions,
    reverse_points_for_booking,
    settle_pending_events,
)
from tests import factories as f
from tests.factories import visit
from tests.support.loyalty import settle_cancellations


def test_it_credits_a_visit_once_when_the_task_runs_twice(program, yoga, nina, alice):
    booking = visit(yoga, nina, alice)

    assert credit_points_for_ended_sessions() == 1
    assert credit_points_for_ended_sessions() == 0

    entry = LedgerEntry.objects.get(client=alice)
    assert (entry.kind, entry.points, entry.balance_after) == (EntryKind.EARNED, 10, 10)
    assert entry.booking == booking
    assert entry.service == yoga
    assert balance_of(alice) == 10
    assert check_ledger() == []


def test_it_credits_every_confirmed_client_of_the_session(program, yoga, nina, alice, bob):
    session = visit(yoga, nina, alice).session
    f.booking(session, bob)

    assert credit_points_for_ended_sessions() == 2
    assert (balance_of(alice), balance_of(bob)) == (10, 10)


def test_it_waits_for_the_credit_delay_after_the_session_ends(program, yoga, nina, alice):
    booking = visit(yoga, nina, alice, ago=timedelta(hours=2, minutes=59))

    assert credit_points_for_ended_sessions() == 0
    assert credit_points_for_ended_sessions(now=booking.session.end + timedelta(hours=3)) == 1


def test_it_follows_the_owners_credit_delay(program, yoga, nina, alice):
    Program.objects.filter(pk=1).update(credit_delay_hours=24)
    visit(yoga, nina, alice, ago=timedelta(hours=4))

    assert credit_points_for_ended_sessions() == 0
    assert credit_points_for_ended_sessions(now=timezone.now() + timedelta(hours=21)) == 1


def test_it_credits_nothing_while_the_program_is_off(program, yoga, nina, alice):
    Program.objects.filter(pk=1).update(is_enabled=False)
    visit(yoga, nina, alice)

    assert credit_points_for_ended_sessions() == 0
    assert not LedgerEntry.objects.exists()


def test_it_credits_nothing_for_a_no_show(program, yoga, nina, alice):
    visit(yoga, nina, alice, ago=timedelta(hours=4))
    Booking.objects.filter(client=alice).update(attendance=Attendance.NO_SHOW)

    assert credit_points_for_ended_sessions() == 0
    assert balance_of(alice) == 0


def test_it_credits_nothing_for_a_cancelled_booking(program, yoga, nina, alice):
    booking = visit(yoga, nina, alice)
    cancel_booking(booking=booking, by_client=False)

    assert credit_points_for_ended_sessions() == 0


def test_it_credits_nothing_for_a_service_left_out_of_the_program(program, yoga, nina, alice):
    ServicePoints.objects.filter(service=yoga).update(is_enabled=False)
    massage = f.service("Massage", staff=[nina])
    visit(yoga, nina, alice)
    visit(massage, nina, alice, ago=timedelta(hours=6))  # Nina's sessions never overlap

    assert credit_points_for_ended_sessions() == 0


def test_it_leaves_sessions_older_than_thirty_days_alone(program, yoga, nina, alice):
    visit(yoga, nina, alice, ago=timedelta(days=31))

    assert credit_points_for_ended_sessions() == 0


def test_it_records_the_points_earned_event_for_automations(program, yoga, nina, alice):
    booking = visit(yoga, nina, alice)

    credit_points_for_ended_sessions()

    event = DomainEvent.objects.get(kind="loyalty.points_earned")
    assert (event.client, event.booking, event.service) == (alice, booking, yoga)
    assert event.payload == {"points": 10, "balance": 10}


def test_it_tells_the_client_once_what_the_visit_earned(program, yoga, nina, alice):
    visit(yoga, nina, alice)

    credit_points_for_ended_sessions()
    credit_points_for_ended_sessions()

    email = OutgoingEmail.objects.get(kind="loyalty_points_earned")
    assert email.to == "alice@client.test"
    assert "10" in email.subject and "Studio Lumen" in email.subject


def test_it_takes_back_the_points_once_when_a_credited_booking_is_cancelled(program, yoga, nina, alice):
    booking = visit(yoga, nina, alice)
    credit_points_for_ended_sessions()
    cancel_booking(booking=booking, by_client=False)

    assert settle_cancellations() == 1
    assert settle_cancellations() == 0
    assert reverse_points_for_booking(booking=booking) is None

    reversal = LedgerEntry.objects.get(kind=EntryKind.REVERSED)
    assert (reversal.points, reversal.balance_after, reversal.booking) == (-10, 0, booking)
    assert reversal.description.startswith("Booking cancelled: Yoga")
    assert balance_of(alice) == 0
    assert credit_points_for_ended_sessions() == 0
    assert check_ledger() == []


def test_it_takes_back_only_what_is_left_when_the_points_were_spent(program, yoga, nina, alice, olivia):
    booking = visit(yoga, nina, alice)
    credit_points_for_ended_sessions()
    adjust_points(client=alice, points=-6, description="Smoothie at the bar", by=olivia)
    cancel_booking(booking=booking, by_client=False)

    settle_cancellations()

    reversal = LedgerEntry.objects.get(kind=EntryKind.REVERSED)
    assert (reversal.points, reversal.balance_after) == (-4, 0)
    assert "only 4 of 10 points could be taken back" in reversal.description
    assert balance_of(alice) == 0
    assert check_ledger() == []


def test_it_records_a_zero_reversal_when_everything_was_spent(program, yoga, nina, alice, olivia):
    booking = visit(yoga, nina, alice)
    credit_points_for_ended_sessions()
    adjust_points(client=alice, points=-10, description="Tea", by=olivia)
    cancel_booking(booking=booking, by_client=False)

    assert settle_cancellations() == 1
    assert settle_cancellations() == 0
    assert LedgerEntry.objects.get(kind=EntryKind.REVERSED).points == 0


def test_it_settles_a_cancellation_as_soon_as_the_booking_event_commits(
    program, yoga, nina, alice, handed_to_the_broker, django_capture_on_commit_callbacks
):
    booking = visit(yoga, nina, alice)
    credit_points_for_ended_sessions()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by_client=False)
    cancelled = DomainEvent.objects.get(kind=EventKind.BOOKING_CANCELLED, booking=booking)
    assert ("loyalty.tasks.process_event", (cancelled.pk,)) in handed_to_the_broker
    assert tasks.process_event(cancelled.pk) is True
    assert tasks.process_event(cancelled.pk) is False  # a second delivery settles nothing

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert balance_of(alice) == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSED).count() == 1


def test_it_never_breaks_a_cancellation_when_the_broker_is_down(
    program, yoga, nina, alice, monkeypatch, django_capture_on_commit_callbacks
):
    booking = visit(yoga, nina, alice)
    credit_points_for_ended_sessions()

    def broker_down(name, args=None, kwargs=None, **options) -> None:
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(current_app._get_current_object(), "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by_client=False)

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert settle_pending_events() == 0  # its task may still be on the way
    assert settle_pending_events(now=timezone.now() + timedelta(minutes=1)) == 1  # loyalty's sweep
    assert settle_pending_events(now=timezone.now() + timedelta(minutes=1)) == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSED).count() == 1
