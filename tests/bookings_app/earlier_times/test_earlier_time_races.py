"""Racing freed slots, real threads, real database: one notice per freed slot, never two clients
told of one slot, one e-mail per notice."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bookings_app.models import EarlierTimeNotice, OutgoingEmail
from bookings_app.services.bookings import book_appointment
from bookings_app.services.changes import cancel_booking
from bookings_app.services.earlier_time_moves import ask_for_earlier_time
from bookings_app.services.earlier_times import offer_freed_time
from tests import factories as f
from tests.support.races import race

CANCELLED = 8
WAITING = 10


def _busy_monday():
    """Nina booked every hour from 8:00 on Monday; ten clients booked on Friday wait for earlier."""
    f.business()
    nina = f.staff_member("Nina", hours={d: [("07:00", "22:00")] for d in range(7)})
    massage = f.service("Massage", staff=[nina])
    monday = f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))
    friday = monday + timedelta(days=4)
    cancellers = [
        book_appointment(service=massage, start=f.local(monday, f"{8 + i:02d}:00"), details=f.racer(i))
        for i in range(CANCELLED)
    ]
    for i in range(WAITING):
        waiting = book_appointment(
            service=massage, start=f.local(friday, f"{8 + i:02d}:00"), details=f.racer(100 + i)
        )
        ask_for_earlier_time(booking=waiting, with_anyone=i % 2 == 0)
    return cancellers


def _assert_one_client_per_slot() -> None:
    notices = list(EarlierTimeNotice.objects.values_list("staff_id", "start", "end", "request_id"))
    per_slot = Counter((staff_id, start) for staff_id, start, _, _ in notices)
    assert all(count == 1 for count in per_slot.values()), per_slot
    spans = sorted((start, end) for _, start, end, _ in notices)
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:], strict=False)), spans
    assert OutgoingEmail.objects.filter(kind="earlier_time").count() == len(notices)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_tell_one_client_per_freed_slot():
    cancellers = _busy_monday()

    race(lambda booking: cancel_booking(booking=booking, by_client=False), cancellers)

    _assert_one_client_per_slot()
    told = sorted(EarlierTimeNotice.objects.values_list("start", flat=True))
    assert told == sorted(booking.session.start for booking in cancellers)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_slot_freed_by_many_writes_at_once_is_told_to_one_client():
    (first, *_) = _busy_monday()
    cancel_booking(booking=first, by_client=False)
    EarlierTimeNotice.objects.all().delete()
    OutgoingEmail.objects.filter(kind="earlier_time").delete()
    session = first.session

    def free_it_again(_):
        with transaction.atomic():
            return offer_freed_time(
                staff_id=session.staff_id, start=session.blocked_start, end=session.blocked_end
            )

    outcomes = race(free_it_again, range(10))

    assert sum(len(notices) for notices in outcomes) == 1
    _assert_one_client_per_slot()
    assert EarlierTimeNotice.objects.get().start == session.start
