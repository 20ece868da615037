"""Delays: N minutes, hours or days after the trigger, and before a session starts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from automations.models import Run, RunReason, RunStatus
from bookings_app.models import Booking, OutgoingEmail
from bookings_app.services.changes import cancel_booking
from bookings_app.services.sessions import emit_session_events
from tests import factories as f

from .builders import automation, book, email_client

SECOND = timedelta(seconds=1)


def sent() -> int:
    return OutgoingEmail.objects.filter(kind="automation").count()


@pytest.mark.parametrize(
    ("amount", "unit", "delay"),
    [
        (30, "minutes", timedelta(minutes=30)),
        (2, "hours", timedelta(hours=2)),
        (3, "days", timedelta(days=3)),
    ],
)
def test_it_acts_the_chosen_time_after_the_trigger(worker, massage, alice, amount, unit, delay):
    automation("client_books", delay_amount=amount, delay_unit=unit)
    book(massage)
    [run] = worker.process_events()
    assert run.due_at == run.event.occurred_at + delay

    worker.run_due(now=run.due_at - SECOND)
    assert sent() == 0
    worker.run_due(now=run.due_at + SECOND)
    assert sent() == 1
    assert Run.objects.get(pk=run.pk).status == RunStatus.DONE


@pytest.fixture
def yoga_in_30_hours(yoga, nina, alice):
    """A class starting in 30 hours that Alice booked two days ago."""
    session = f.session(yoga, nina, timezone.now() + timedelta(hours=30))
    booking = f.booking(session, alice)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(days=2))
    return session


def reminder_a_day_before():
    return automation(
        "session_starts",
        delay_amount=24,
        delay_unit="hours",
        delay_direction="before",
        actions=[email_client("See you tomorrow at {session_start}")],
    )


def test_it_reminds_each_client_24_hours_before_the_session(worker, yoga_in_30_hours, alice):
    reminder_a_day_before()
    reminder_moment = yoga_in_30_hours.start - timedelta(hours=24)

    assert worker.scan() == 0  # 30 hours ahead: not yet
    assert worker.scan(now=reminder_moment - timedelta(minutes=5)) == 1
    [run] = Run.objects.all()
    assert (run.client, run.due_at) == (alice, reminder_moment)

    worker.run_due(now=reminder_moment - SECOND)
    assert sent() == 0
    worker.run_due(now=reminder_moment + SECOND)
    assert sent() == 1


def test_the_session_started_event_adds_no_second_reminder(worker, yoga_in_30_hours):
    reminder_a_day_before()
    start = yoga_in_30_hours.start
    worker.scan(now=start - timedelta(hours=24))
    worker.run_due(now=start - timedelta(hours=24))

    emit_session_events(now=start + SECOND)
    assert worker.process_events(now=start + SECOND) == []
    assert Run.objects.count() == 1 and sent() == 1


def test_it_does_not_remind_a_booking_made_after_the_reminder_moment(worker, yoga, nina, alice):
    reminder_a_day_before()
    session = f.session(yoga, nina, timezone.now() + timedelta(hours=3))
    f.booking(session, alice)  # booked now, 3 hours ahead

    assert worker.scan() == 0


def test_a_reminder_for_a_cancelled_booking_is_skipped_with_the_reason(worker, yoga_in_30_hours, alice):
    reminder_a_day_before()
    reminder_moment = yoga_in_30_hours.start - timedelta(hours=24)
    worker.scan(now=reminder_moment - timedelta(minutes=5))
    cancel_booking(booking=Booking.objects.get(client=alice), by_client=True)

    worker.run_due(now=reminder_moment)

    run = Run.objects.get()
    assert (run.status, run.reason) == (RunStatus.SKIPPED, RunReason.NO_LONGER_APPLIES)
    assert run.detail == "The booking is no longer confirmed."
    assert sent() == 0


def test_it_acts_an_hour_after_the_session_ends(worker, yoga, nina, alice):
    session = f.session(yoga, nina, timezone.now() - timedelta(hours=1, minutes=30))
    f.booking(session, alice)
    automation("session_ends", delay_amount=1, delay_unit="hours", actions=[email_client("How was it?")])
    emit_session_events()

    [run] = worker.process_events()

    assert run.due_at == session.end + timedelta(hours=1)
    worker.run_due(now=session.end + timedelta(minutes=59))
    assert sent() == 0
    worker.run_due(now=session.end + timedelta(hours=1))
    assert sent() == 1
