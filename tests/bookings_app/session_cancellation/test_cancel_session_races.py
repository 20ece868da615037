"""The owner cancels a class while clients book, cancel and join its line: real threads, real
database. Afterwards nobody holds a place in the cancelled session, and every booking that was
cancelled is cancelled once and told once."""

import pytest
from django.db import connection

from bookings_app.core.errors import BookingError
from bookings_app.models import (
    LIVE_STATUSES,
    LIVE_WAITLIST_STATUSES,
    Booking,
    BookingStatus,
    OutgoingEmail,
    Session,
    SessionStatus,
    WaitlistEntry,
)
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.session_cancellation import cancel_session
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f
from tests.support.races import race

NEWCOMERS = 12 if connection.vendor == "postgresql" else 4


@pytest.mark.django_db(transaction=True)
def test_nothing_lives_in_a_session_cancelled_while_clients_book_cancel_and_wait(
    yoga, thursday, olivia, handed_over
):
    Session.objects.filter(pk=thursday.pk).update(capacity=8)
    booked = [book_class_seat(session=thursday, details=f.racer(n)) for n in range(1, 7)]

    def act(move):
        verb, arg = move
        if verb == "cancel the session":
            return cancel_session(session=thursday, by=olivia, message="Sorry")
        if verb == "cancel a booking":
            return cancel_booking(booking=arg, by_client=True)
        session = Session.objects.select_related("service").get(pk=thursday.pk)
        if verb == "book":
            return book_class_seat(session=session, details=f.racer(arg))
        return join_waitlist(session=session, details=f.racer(arg))

    moves = [("cancel the session", None)]
    moves += [("cancel a booking", booking) for booking in booked[:3]]
    moves += [("book" if n % 2 else "join", n) for n in range(100, 100 + NEWCOMERS)]
    outcomes = race(act, moves, refused=BookingError)

    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, BookingError)]
    thursday.refresh_from_db()
    assert (thursday.status, thursday.seats_taken) == (SessionStatus.CANCELLED, 0)
    assert not Booking.objects.filter(session=thursday, status__in=LIVE_STATUSES).exists()
    assert not WaitlistEntry.objects.filter(session=thursday, status__in=LIVE_WAITLIST_STATUSES).exists()
    cancelled = set(Booking.objects.filter(status=BookingStatus.CANCELLED).values_list("pk", flat=True))
    assert {booking.pk for booking in booked} <= cancelled
    told = list(OutgoingEmail.objects.filter(kind="cancellation").values_list("booking_id", flat=True))
    assert sorted(told) == sorted(cancelled)
