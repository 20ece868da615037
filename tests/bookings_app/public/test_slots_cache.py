"""The service page's free times come from the slot cache: the browser revalidates the day's
times (ETag, 304), a booking shows at once, and a cache that fails costs the page nothing."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from bookings_app.selectors import availability_cache
from bookings_app.selectors.availability_cache import CACHE
from bookings_app.services.bookings import book_appointment
from tests import factories as make
from tests.support.redis_outage import OUTAGES

pytestmark = pytest.mark.django_db

MONDAY = make.next_weekday(0, after=make.next_weekday(0))


@pytest.fixture(autouse=True)
def _empty_cache_and_a_still_minute(monkeypatch):
    """The tests ask twice within one minute, however slow the machine."""
    availability_cache.forget_everything()
    minute = timezone.now()
    monkeypatch.setattr(availability_cache, "current_time", lambda: minute)


@pytest.fixture
def massage():
    make.business(time_zone="Europe/Paris", slot_step_minutes=60)
    nina = make.staff_member("Nina", hours={0: [("09:00", "12:00")]})
    return make.service("Massage", staff=[nina])


def day_times(client, service, **headers):
    return client.get(
        service.get_absolute_url(),
        {"day": MONDAY.isoformat()},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def test_it_lets_the_browser_keep_the_day_s_times_until_they_change(client, massage):
    first = day_times(client, massage)
    again = day_times(client, massage, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_it_shows_a_booked_time_gone_at_the_next_ask(client, massage):
    first = day_times(client, massage)
    assert "10:00" in first.content.decode()

    book_appointment(service=massage, start=make.local(MONDAY, "10:00"), details=make.racer(1))
    after = day_times(client, massage, HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert "10:00" not in after.content.decode() and "11:00" in after.content.decode()


def test_it_gives_another_language_or_zone_its_own_tag(client, massage):
    english = day_times(client, massage)["ETag"]
    french = client.get(
        massage.get_absolute_url(),
        {"day": MONDAY.isoformat()},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    new_york = client.get(
        massage.get_absolute_url(),
        {"day": MONDAY.isoformat(), "tz": "America/New_York"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert len({english, french.get("ETag"), new_york.get("ETag")}) == 3, (french, new_york)


def test_it_answers_the_day_s_times_from_the_cache_in_few_queries(client, massage, django_assert_num_queries):
    day_times(client, massage)
    # the availability version: the fragment was kept whole
    with django_assert_num_queries(1):
        assert day_times(client, massage).status_code == 200


def test_it_keeps_the_month_calendar_whole_too(client, massage, django_assert_num_queries):
    next_month = {"month": f"{MONDAY.year + MONDAY.month // 12}-{MONDAY.month % 12 + 1:02d}"}
    first = client.get(massage.get_absolute_url(), next_month, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(1):
        again = client.get(massage.get_absolute_url(), next_month, HTTP_HX_REQUEST="true")

    assert again.content == first.content and 'class="calendar' in first.content.decode()
    assert again["ETag"] == first["ETag"]


def test_it_keeps_a_class_s_page_for_nobody(client, db, django_assert_num_queries):
    """A class's page names the visitor's own places: asked like the day's times, it is never kept."""
    make.business()
    yoga = make.service("Yoga", kind="class", staff=[make.staff_member("Nina")], capacity=8)

    first = day_times(client, yoga)
    again = day_times(client, yoga)

    assert first.status_code == again.status_code == 200
    assert "ETag" not in first and "ETag" not in again


def test_it_answers_the_whole_page_from_the_cache_in_few_queries(client, massage, django_assert_num_queries):
    client.get(massage.get_absolute_url(), {"day": MONDAY.isoformat()})
    with django_assert_num_queries(1):  # the availability version: the page was kept whole
        page = client.get(massage.get_absolute_url(), {"day": MONDAY.isoformat()})
    assert "10:00" in page.content.decode()


@pytest.mark.parametrize("outage", sorted(OUTAGES))
def test_it_computes_the_times_when_the_cache_fails(client, massage, outage):
    with OUTAGES[outage]() as url:
        broken = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
        with override_settings(CACHES={**settings.CACHES, CACHE: broken}):
            page = day_times(client, massage)

    assert page.status_code == 200 and "10:00" in page.content.decode()
