"""Studio Lumen hands out WELCOME10 (10 % off); yoga is paid in person, pilates online in full."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import DiscountKind, PaymentPolicy, ServiceKind
from bookings_app.services.discounts import create_discount_code
from tests import factories


@pytest.fixture
def studio(db):
    return factories.business(currency="EUR", payment_hold_minutes=15)


@pytest.fixture
def nina(studio):
    return factories.staff_member("Nina", hours={d: [("00:00", "23:59")] for d in range(7)})


@pytest.fixture
def yoga(nina):
    return factories.service(
        "Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=30, price=Decimal("20.00")
    )


@pytest.fixture
def pilates(nina):
    return factories.service(
        "Pilates",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=30,
        price=Decimal("40.00"),
        payment_policy=PaymentPolicy.FULL,
    )


def _start(days: int = 3):
    return (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def yoga_session(yoga, nina):
    return factories.session(yoga, nina, _start(3), capacity=30)


@pytest.fixture
def pilates_session(pilates, nina):
    return factories.session(pilates, nina, _start(4), capacity=30)


@pytest.fixture
def welcome10(studio):
    return create_discount_code(code="welcome10", kind=DiscountKind.PERCENT, percent=Decimal("10"))
