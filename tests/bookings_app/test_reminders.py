"""The default reminder goes out once, a day before, for bookings made well ahead."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Booking, OutgoingEmail, ServiceKind
from bookings_app.services.reminders import queue_due_reminders
from tests import factories as f


@pytest.fixture
def yoga_tomorrow(db):
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10)
    return f.session(yoga, nina, timezone.now() + timedelta(hours=20))


def _book(session, name: str, *, days_ago: int) -> Booking:
    booking = Booking.objects.create(session=session, service=session.service, client=f.client(name))
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return booking


def test_it_reminds_each_booking_once_however_often_it_runs(yoga_tomorrow):
    alice = _book(yoga_tomorrow, "Alice", days_ago=5)
    assert queue_due_reminders() == 1
    assert queue_due_reminders() == 0
    assert OutgoingEmail.objects.filter(booking=alice, kind="reminder").count() == 1


def test_it_does_not_remind_a_booking_made_within_the_last_day(yoga_tomorrow):
    _book(yoga_tomorrow, "Bob", days_ago=0)
    assert queue_due_reminders() == 0


def test_it_does_not_remind_a_cancelled_booking(yoga_tomorrow):
    carol = _book(yoga_tomorrow, "Carol", days_ago=5)
    Booking.objects.filter(pk=carol.pk).update(status="cancelled")
    assert queue_due_reminders() == 0
