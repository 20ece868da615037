"""Racing clients, real threads, real database: never one seat or slot too many."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.core.errors import BookingError, SlotUnavailable
from bookings_app.models import Booking, BookingStatus, ServiceKind, Session
from bookings_app.services.bookings import book_appointment, book_class_seat
from tests import factories as f
from tests.support.races import CROWD, in_words, race


def booked_at_once(attempt) -> list[str]:
    """A crowd of clients try at once; each reads "booked" or the refusal."""
    return in_words(race(attempt, range(CROWD), refused=BookingError), success="booked")


@pytest.mark.django_db(transaction=True)
def test_racing_clients_fill_the_last_seats_of_a_class_exactly():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=2))
    Session.objects.filter(pk=session.pk).update(seats_taken=9)

    outcomes = booked_at_once(lambda i: book_class_seat(session=session, details=f.racer(i)))

    assert outcomes.count("booked") == 3
    assert set(outcomes) - {"booked"} == {"Sorry, this session is full."}
    session.refresh_from_db()
    assert session.seats_taken == 12
    assert Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_racing_clients_get_one_appointment_slot_exactly_once():
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    start = f.local(f.next_weekday(1), "10:00")

    outcomes = booked_at_once(lambda i: book_appointment(service=massage, start=start, details=f.racer(i)))

    assert outcomes.count("booked") == 1
    assert set(outcomes) - {"booked"} == {str(SlotUnavailable.default_message)}
    assert Session.objects.filter(staff=nina, status="scheduled").count() == 1
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_overlapping_appointments_never_double_book_a_staff_member():
    f.business(slot_step_minutes=15)
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    day = f.next_weekday(2)
    starts = [f.local(day, "10:00") + timedelta(minutes=15 * (i % 4)) for i in range(CROWD)]

    outcomes = booked_at_once(
        lambda i: book_appointment(service=massage, start=starts[i], details=f.racer(i))
    )

    assert outcomes.count("booked") == 1
    assert Session.objects.filter(staff=nina, status="scheduled").count() == 1
