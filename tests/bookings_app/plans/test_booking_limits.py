"""Booking limits per client: upcoming, per day, per week; online bookings only."""

from datetime import timedelta

import pytest

from bookings_app.models import BookingSource, Business
from bookings_app.services.booking_limits import BookingLimitReached
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")


def limits(**values):
    Business.objects.filter(pk=1).update(**values)


def test_it_refuses_one_upcoming_booking_too_many(yoga_sessions):
    limits(max_upcoming_bookings=2)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    second = book_class_seat(session=yoga_sessions[1], details=ALICE)
    with pytest.raises(BookingLimitReached, match="at most 2 upcoming bookings"):
        book_class_seat(session=yoga_sessions[2], details=ALICE)
    cancel_booking(booking=second, by_client=True)
    book_class_seat(session=yoga_sessions[2], details=ALICE)


def test_the_limit_is_each_clients_own(yoga_sessions):
    limits(max_upcoming_bookings=1)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    book_class_seat(
        session=yoga_sessions[0], details=ClientDetails(email="bob@client.test", first_name="Bob")
    )


def test_it_refuses_a_second_session_the_same_day(studio, yoga_sessions):
    limits(max_bookings_per_day=1)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    same_day = f.session(studio["yoga"], studio["nina"], yoga_sessions[0].start + timedelta(hours=2))
    with pytest.raises(BookingLimitReached, match="1 session a day"):
        book_class_seat(session=same_day, details=ALICE)
    book_class_seat(session=yoga_sessions[1], details=ALICE)


def test_it_counts_the_week_from_monday_to_sunday(studio):
    limits(max_bookings_per_week=2)
    monday = f.next_weekday(0, after=f.next_weekday(0))
    sessions = [
        f.session(studio["yoga"], studio["nina"], f.local(monday + timedelta(days=d), "18:00"))
        for d in (0, 3, 6, 7)
    ]
    book_class_seat(session=sessions[0], details=ALICE)
    book_class_seat(session=sessions[1], details=ALICE)
    with pytest.raises(BookingLimitReached, match="2 sessions a week"):
        book_class_seat(session=sessions[2], details=ALICE)
    book_class_seat(session=sessions[3], details=ALICE)  # next Monday: a new week


def test_the_team_may_book_past_the_limits(yoga_sessions):
    limits(max_upcoming_bookings=1)
    book_class_seat(session=yoga_sessions[0], details=ALICE)
    book_class_seat(session=yoga_sessions[1], details=ALICE, source=BookingSource.DASHBOARD)


def test_appointments_count_too(studio, yoga_sessions):
    limits(max_upcoming_bookings=1)
    from bookings_app.services.bookings import book_appointment

    book_class_seat(session=yoga_sessions[0], details=ALICE)
    with pytest.raises(BookingLimitReached):
        book_appointment(service=studio["massage"], start=f.local(f.next_weekday(1), "10:00"), details=ALICE)
