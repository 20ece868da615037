"""A studio in Jerusalem with two staff members and two clients, and their feeds' addresses."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from bookings_app.models import Booking, CalendarFeed, Client, FeedKind, Session, StaffMember
from bookings_app.services.calendar_feeds import ensure_feed
from tests import factories


@dataclass
class Studio:
    nina: StaffMember
    omar: StaffMember
    alice: Client
    bob: Client
    ninas_massage: Booking  # Alice with Nina, in two days, with a private note
    omars_massage: Booking  # Bob with Omar, in three days
    old_session: Session  # Nina's, 40 days ago: outside the window
    business_feed: CalendarFeed
    ninas_feed: CalendarFeed
    alices_feed: CalendarFeed
    bobs_feed: CalendarFeed


@pytest.fixture(autouse=True)
def _generous_limits():
    """Every test fetches as it likes; test_feed_addresses sets its own small limits."""
    with override_settings(CALENDAR_FEED_FETCHES="1000/m", CALENDAR_FEED_MISSES="1000/m"):
        yield


@pytest.fixture
def studio(db) -> Studio:
    factories.business(name="Studio Lumen", time_zone="Asia/Jerusalem")
    nina, omar = factories.staff_member("Nina"), factories.staff_member("Omar")
    massage = factories.service("Massage", staff=[nina, omar])
    soon = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    alice = factories.client("Alice", last_name="Martin")
    bob = factories.client("Bob", last_name="Levi")
    ninas = factories.booking(factories.session(massage, nina, soon), alice, notes="Allergic to lavender")
    omars = factories.booking(factories.session(massage, omar, soon + timedelta(days=1)), bob)
    old = factories.session(massage, nina, soon - timedelta(days=42))
    factories.booking(old, bob)
    return Studio(
        nina=nina,
        omar=omar,
        alice=alice,
        bob=bob,
        ninas_massage=ninas,
        omars_massage=omars,
        old_session=old,
        business_feed=ensure_feed(kind=FeedKind.BUSINESS),
        ninas_feed=ensure_feed(kind=FeedKind.STAFF, staff=nina),
        alices_feed=ensure_feed(kind=FeedKind.CLIENT, client=alice),
        bobs_feed=ensure_feed(kind=FeedKind.CLIENT, client=bob),
    )
