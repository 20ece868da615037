"""The studio of the plan tests: Nina teaches yoga (a class) and gives massages; Alice holds a pack."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import ServiceKind
from bookings_app.services.plans import give_plan, save_plan
from tests import factories as f
from tests.support.memberships import membership_plan


@pytest.fixture
def studio(db):
    f.business(currency="EUR")
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12, price=Decimal("20.00"))
    massage = f.service("Massage", staff=[nina])
    return {"nina": nina, "yoga": yoga, "massage": massage}


@pytest.fixture
def ten_classes(studio):
    return save_plan(
        services=[studio["yoga"]],
        name="10 classes",
        description="",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("150.00"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )


@pytest.fixture
def alice(db):
    return f.client("Alice")


@pytest.fixture
def alices_pack(ten_classes, alice):
    return give_plan(plan=ten_classes, client=alice)


@pytest.fixture
def yoga_sessions(studio):
    """Ten yoga sessions, one a day from the day after tomorrow at 18:00 (Paris)."""
    first = timezone.localdate() + timedelta(days=2)
    return [
        f.session(studio["yoga"], studio["nina"], f.local(first + timedelta(days=i), "18:00"))
        for i in range(25)
    ]


@pytest.fixture
def unlimited(studio):
    """A membership on sale: unlimited yoga, 89.00 EUR a month, 7 days of notice."""
    return membership_plan([studio["yoga"]], notice_days=7)
