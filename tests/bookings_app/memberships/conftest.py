"""The studio of the membership tests: Nina teaches yoga (a class) and gives massages; Alice is
a member renewed through the test provider, next week's yoga classes are on the schedule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import ServiceKind
from tests import factories as f
from tests.support.memberships import member, membership_plan


@pytest.fixture
def studio(db):
    f.business(currency="EUR")
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12, price=Decimal("20.00"))
    massage = f.service("Massage", staff=[nina])
    return {"nina": nina, "yoga": yoga, "massage": massage}


@pytest.fixture
def unlimited(studio):
    return membership_plan([studio["yoga"]])


@pytest.fixture
def twice_a_week(studio):
    return membership_plan([studio["yoga"]], name="Twice a week", sessions_per_period=2)


@pytest.fixture
def alice(db):
    return f.client("Alice", email="alice@client.test")


@pytest.fixture
def started():
    """When Alice's memberships start: now (their first month runs from it)."""
    return timezone.now()


@pytest.fixture
def alices_membership(unlimited, alice, started):
    return member(unlimited, alice, now=started)


@pytest.fixture
def next_week():
    """Next Monday (never today) and the six days after it."""
    monday = f.next_weekday(0)
    return [monday + timedelta(days=i) for i in range(7)]


@pytest.fixture
def yoga_next_week(studio, next_week):
    """Twenty yoga classes next week (Paris), three a day at 08:00, 11:00 and 14:00 from Monday."""
    starts = [f.local(day, at) for day in next_week for at in ("08:00", "11:00", "14:00")]
    return [f.session(studio["yoga"], studio["nina"], start) for start in starts[:20]]
