"""A studio with a class paid online in full and a massage with a 30 % deposit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import PaymentPolicy, ServiceKind
from tests import factories


@pytest.fixture
def studio(db):
    return factories.business(payment_hold_minutes=15)


@pytest.fixture
def nina(studio):
    return factories.staff_member("Nina", hours={d: [("00:00", "23:59")] for d in range(7)})


@pytest.fixture
def yoga(nina):
    return factories.service(
        "Yoga",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=5,
        price=Decimal("20.00"),
        payment_policy=PaymentPolicy.FULL,
    )


@pytest.fixture
def massage(nina):
    return factories.service(
        "Massage",
        staff=[nina],
        price=Decimal("80.00"),
        payment_policy=PaymentPolicy.DEPOSIT,
        deposit_percent=30,
    )


@pytest.fixture
def yoga_session(yoga, nina):
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return factories.session(yoga, nina, start, capacity=5)
