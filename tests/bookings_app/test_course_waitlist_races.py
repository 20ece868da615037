"""Racing a full course's waitlist, real threads, real database: in every session of the course,
never more clients than seats, and every seat taken is a live booking or a live offer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import LIVE_STATUSES, Booking, ServiceKind, Session, WaitlistEntry
from bookings_app.services.bookings import book_course
from bookings_app.services.changes import cancel_booking
from bookings_app.services.waitlist import accept_offer, join_waitlist, leave_waitlist
from tests import factories as f
from tests.support.races import race

PLACES = 5


def _full_course():
    f.business()
    omar = f.staff_member("Omar")
    course = f.service(
        "Pottery", kind=ServiceKind.COURSE, staff=[omar], capacity=PLACES, price=0, waitlist_enabled=True
    )
    first = timezone.now() + timedelta(days=5)
    for week in range(3):
        f.session(course, omar, first + timedelta(days=7 * week))
    enrolled = [book_course(service=course, details=f.racer(n))[0] for n in range(PLACES)]
    return course, enrolled


def _assert_places_are_counted_exactly(course) -> None:
    offered = WaitlistEntry.objects.filter(session__service=course, status="offered").count()
    for session in Session.objects.filter(service=course):
        booked = Booking.objects.filter(session=session, status__in=LIVE_STATUSES).count()
        assert session.seats_taken <= session.capacity
        assert session.seats_taken == booked + offered, (session.pk, session.seats_taken, booked, offered)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancellations_joins_accepts_and_leavers_at_once_never_overfill_a_session():
    course, enrolled = _full_course()
    line = Session.objects.filter(service=course).order_by("pk").first()
    for n in range(100, 104):
        join_waitlist(session=line, details=f.racer(n))

    def act(move):
        kind, subject = move
        if kind == "cancel":
            return cancel_booking(booking=subject, by_client=False)
        return join_waitlist(session=line, details=f.racer(subject))

    race(
        act,
        [("cancel", booking) for booking in enrolled[:3]] + [("join", n) for n in range(200, 204)],
        refused=BookingError,
    )
    _assert_places_are_counted_exactly(course)
    assert WaitlistEntry.objects.filter(session=line, status="offered").count() == 3

    offers = list(WaitlistEntry.objects.filter(session=line, status="offered"))
    waiting = list(WaitlistEntry.objects.filter(session=line, status="waiting"))[:2]

    def settle(move):
        kind, entry = move
        return accept_offer(entry=entry) if kind == "accept" else leave_waitlist(entry=entry)

    race(
        settle,
        [("accept", entry) for entry in offers] + [("leave", entry) for entry in waiting],
        refused=BookingError,
    )
    _assert_places_are_counted_exactly(course)
    for entry in offers:
        entry.refresh_from_db()
        assert entry.status == "booked"
        assert Booking.objects.filter(client=entry.client, status="confirmed").count() == 3
