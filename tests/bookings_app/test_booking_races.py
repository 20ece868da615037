"""Racing clients, real threads, real database: never one seat or slot too many."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from bookings_app.errors import BookingError, SlotUnavailable
from bookings_app.models import Booking, BookingStatus, ServiceKind, Session
from bookings_app.services.bookings import book_appointment, book_class_seat
from bookings_app.services.clients import ClientDetails
from tests import factories as f

ATTEMPTS = 50 if connection.vendor == "postgresql" else 12


def race(attempt, count: int) -> list[str]:
    """Start ``count`` attempts at once; each says "booked" or the readable refusal."""
    gate = threading.Barrier(count)

    def run(i: int) -> str:
        try:
            gate.wait(timeout=30)
            attempt(i)
            return "booked"
        except BookingError as e:
            return str(e.message)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def details(i: int) -> ClientDetails:
    return ClientDetails(email=f"client{i}@race.test", first_name=f"Client {i}")


@pytest.mark.django_db(transaction=True)
def test_racing_clients_fill_the_last_seats_of_a_class_exactly():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=2))
    Session.objects.filter(pk=session.pk).update(seats_taken=9)

    outcomes = race(lambda i: book_class_seat(session=session, details=details(i)), ATTEMPTS)

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

    outcomes = race(lambda i: book_appointment(service=massage, start=start, details=details(i)), ATTEMPTS)

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
    starts = [f.local(day, "10:00") + timedelta(minutes=15 * (i % 4)) for i in range(ATTEMPTS)]

    outcomes = race(
        lambda i: book_appointment(service=massage, start=starts[i], details=details(i)), ATTEMPTS
    )

    assert outcomes.count("booked") == 1
    assert Session.objects.filter(staff=nina, status="scheduled").count() == 1
