"""A feed is read in the same few queries whether the window holds one session or fifty (a
calendar app polls every few minutes: a query per session would grow with the business)."""

from datetime import timedelta

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import FeedKind, ServiceKind
from bookings_app.services.calendar_feeds import ensure_feed
from tests import factories

# The feed row, the business, then the sessions with service and staff and their bookings with
# clients (the client feed: its bookings with session, staff and service in one query).
QUERIES = {FeedKind.BUSINESS: 4, FeedKind.STAFF: 4, FeedKind.CLIENT: 3}


def fill_the_window(count: int):
    """``count`` massages of Alice's with Nina (a private note on each), and a class of Nina's
    with ``count`` clients: as many sessions and bookings as asked for."""
    factories.business(name="Studio Lumen", time_zone="Asia/Jerusalem")
    nina = factories.staff_member("Nina")
    massage = factories.service("Massage", staff=[nina])
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=count)
    alice = factories.client("Alice", last_name="Martin")
    soon = (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    for day in range(count):
        factories.booking(factories.session(massage, nina, soon + timedelta(days=day)), alice, notes="Tea")
    yoga_session = factories.session(yoga, nina, soon - timedelta(hours=3), capacity=count)
    for number in range(count):
        factories.booking(yoga_session, factories.client(f"Client {number}"))
    return {
        FeedKind.BUSINESS: ensure_feed(kind=FeedKind.BUSINESS),
        FeedKind.STAFF: ensure_feed(kind=FeedKind.STAFF, staff=nina),
        FeedKind.CLIENT: ensure_feed(kind=FeedKind.CLIENT, client=alice),
    }


@pytest.mark.parametrize("kind", [FeedKind.BUSINESS, FeedKind.STAFF, FeedKind.CLIENT])
@pytest.mark.parametrize("count", [1, 50])
def test_it_reads_a_feed_in_the_same_queries_whatever_its_size(db, django_assert_num_queries, kind, count):
    feed = fill_the_window(count)[kind]
    url = reverse("public:calendar_feed", args=[feed.token])
    browser = Browser()
    browser.get(url)  # anything a first request warms up (translations, the cache) is out of the count

    with django_assert_num_queries(QUERIES[kind]):
        response = browser.get(url)

    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == (count if kind == FeedKind.CLIENT else count + 1)
