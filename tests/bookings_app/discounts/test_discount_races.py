"""Racing clients with one discount code, real threads on PostgreSQL: never a use too many."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.core.errors import BookingError
from bookings_app.models import (
    Booking,
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    PaymentPolicy,
    ServiceKind,
)
from bookings_app.services.discounts import create_discount_code
from bookings_app.services.payments import release_hold
from tests import factories as f
from tests.support.discounts import book_with_code
from tests.support.races import in_words, race


def _studio(*, paid_online: bool = False, sessions: int = 1):
    f.business(currency="EUR")
    nina = f.staff_member("Nina")
    yoga = f.service(
        "Yoga",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=50,
        price=Decimal("20.00"),
        payment_policy=PaymentPolicy.FULL if paid_online else PaymentPolicy.IN_PERSON,
    )
    start = timezone.now() + timedelta(days=2)
    return [f.session(yoga, nina, start + timedelta(days=day), capacity=50) for day in range(sessions)]


def _code(**limits) -> DiscountCode:
    return create_discount_code(code="WELCOME10", kind=DiscountKind.PERCENT, percent=Decimal("10"), **limits)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_clients_racing_for_a_code_of_five_uses_get_exactly_five():
    (session,) = _studio()
    _code(max_uses=5)

    outcomes = in_words(
        race(
            lambda i: book_with_code(session, "welcome10", f"client{i}@race.test"),
            range(20),
            refused=BookingError,
        ),
        success="booked",
    )

    assert outcomes.count("booked") == 5
    assert set(outcomes) - {"booked"} == {"This discount code has been used up."}
    assert DiscountRedemption.objects.count() == 5 and DiscountCode.objects.get().uses == 5
    assert Booking.objects.count() == 5  # the refused bookings were rolled back with their code
    session.refresh_from_db()
    assert session.seats_taken == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_client_racing_with_a_code_of_one_use_each_gets_it_once():
    sessions = _studio(sessions=20)
    _code(max_uses_per_client=1)

    outcomes = in_words(
        race(
            lambda i: book_with_code(sessions[i], "welcome10", "alice@race.test"),
            range(20),
            refused=BookingError,
        ),
        success="booked",
    )

    assert outcomes.count("booked") == 1
    assert set(outcomes) - {"booked"} == {"You have already used this discount code."}
    assert DiscountRedemption.objects.count() == 1 and DiscountCode.objects.get().uses == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_releases_and_newcomers_at_once_keep_the_count_true():
    (session,) = _studio(paid_online=True)
    _code(max_uses=5)
    held = [book_with_code(session, "welcome10", f"held{i}@race.test") for i in range(5)]
    actions = [lambda b=booking: release_hold(booking_id=b.pk, reason="abandoned") for booking in held]
    actions += [lambda i=i: book_with_code(session, "welcome10", f"new{i}@race.test") for i in range(15)]

    race(lambda action: action(), actions, refused=BookingError)

    live = DiscountRedemption.objects.filter(given_back_at__isnull=True).count()
    assert DiscountCode.objects.get().uses == live <= 5
    assert DiscountRedemption.objects.filter(given_back_at__isnull=False).count() == 5
