"""A studio whose Thursday yoga class Nina cannot teach: booked clients paid in person, online,
with a pack, or are still paying; two more wait in line."""

from datetime import timedelta

import pytest

from bookings_app.models import ServiceKind
from tests import factories as f
from tests.support.full_class import fill_thursday, thursday_yoga


@pytest.fixture(autouse=True)
def _kept_from_the_broker(handed_over):
    return handed_over


@pytest.fixture
def yoga_and_thursday(db):
    return thursday_yoga()


@pytest.fixture
def yoga(yoga_and_thursday):
    return yoga_and_thursday[0]


@pytest.fixture
def thursday(yoga_and_thursday):
    return yoga_and_thursday[1]


@pytest.fixture
def nina(thursday):
    return thursday.staff


@pytest.fixture
def full_thursday(yoga, thursday):
    return fill_thursday(yoga, thursday)


@pytest.fixture
def pottery(nina):
    """A three-week course, two places, both taken; one client waits."""
    course = f.service(
        "Pottery", kind=ServiceKind.COURSE, staff=[nina], capacity=2, price=0, waitlist_enabled=True
    )
    first = f.next_weekday(5)
    for week in range(3):
        f.session(course, nina, f.local(first + timedelta(days=7 * week), "10:00"), capacity=2)
    return course
