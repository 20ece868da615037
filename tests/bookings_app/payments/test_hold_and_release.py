"""A place held while the client pays: it counts, and is given back when the hold runs out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.core.errors import SessionFull, SlotUnavailable
from bookings_app.models import (
    Booking,
    BookingStatus,
    DomainEvent,
    EventKind,
    OutgoingEmail,
    PaymentStatus,
    Session,
    SessionStatus,
)
from bookings_app.services import payments
from bookings_app.services.bookings import book_appointment, book_class_seat
from tests import factories
from tests.support.payments import hold_appointment, hold_seat

pytestmark = pytest.mark.django_db


def test_a_held_seat_counts_and_announces_nothing(yoga_session):
    booking, payment = hold_seat(yoga_session)
    yoga_session.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT and yoga_session.seats_taken == 1
    assert payment.amount == Decimal("20.00") and payment.currency == "EUR" and payment.status == "pending"
    assert booking.hold_until > timezone.now() + timedelta(minutes=14)
    assert not OutgoingEmail.objects.exists()
    assert not DomainEvent.objects.filter(kind=EventKind.BOOKING_CREATED).exists()


def test_held_seats_fill_the_class(yoga_session):
    for number in range(5):
        hold_seat(yoga_session, number)
    with pytest.raises(SessionFull):
        book_class_seat(session=yoga_session, details=factories.racer(9))


def test_a_held_appointment_blocks_its_slot(massage, nina):
    start = (timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking, payment = hold_appointment(massage, start)
    assert payment.amount == Decimal("24.00")  # 30 % of 80
    with pytest.raises(SlotUnavailable):
        book_appointment(service=massage, start=start, details=factories.racer(2), staff=nina)


def test_the_release_task_gives_back_expired_holds_only(yoga_session):
    old, old_payment = hold_seat(yoga_session, 1)
    fresh, _ = hold_seat(yoga_session, 2)
    Booking.objects.filter(pk=old.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    assert payments.release_expired_holds() == 1
    assert payments.release_expired_holds() == 0
    (
        old.refresh_from_db(),
        fresh.refresh_from_db(),
        yoga_session.refresh_from_db(),
        old_payment.refresh_from_db(),
    )
    assert old.status == BookingStatus.RELEASED and fresh.status == BookingStatus.AWAITING_PAYMENT
    assert yoga_session.seats_taken == 1 and old_payment.status == PaymentStatus.ABANDONED
    assert DomainEvent.objects.filter(kind=EventKind.BOOKING_HOLD_RELEASED, booking=old).count() == 1


def test_a_released_appointment_frees_its_slot(massage, nina):
    start = (timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking, _ = hold_appointment(massage, start)
    Booking.objects.filter(pk=booking.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    payments.release_expired_holds()
    assert Session.objects.get(pk=booking.session_id).status == SessionStatus.CANCELLED
    again = book_appointment(service=massage, start=start, details=factories.racer(2), staff=nina)
    assert again.status == BookingStatus.CONFIRMED


def test_a_client_cannot_hold_twice_in_one_session(yoga_session):
    from bookings_app.core.errors import AlreadyBooked

    hold_seat(yoga_session, 1)
    with pytest.raises(AlreadyBooked):
        hold_seat(yoga_session, 1)


def test_the_release_is_in_the_beat_schedule():
    from django.conf import settings

    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["bookings_app.tasks.release_expired_holds"] == 60.0
