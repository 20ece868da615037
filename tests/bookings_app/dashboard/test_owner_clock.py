"""The owner's 12-hour choice on the team's pages: English follows it, French and Hebrew stay on
the 24-hour clock; a Hebrew time range keeps its order (isolated left to right)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.display.display_time import LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE
from bookings_app.models import BookingStatus, TimeOff
from tests import factories

pytestmark = pytest.mark.django_db
RANGE_12 = "9:15 AM\u201310:15 AM"
RANGE_24 = "09:15\u201310:15"


@pytest.fixture
def booking():
    factories.business(time_zone="Europe/Paris", clock_12_hour=True)
    nina = factories.staff_member("Nina")
    massage = factories.service("Massage", staff=[nina])
    day = factories.next_weekday(1, after=timezone.localdate() + timedelta(days=1))
    session = factories.session(massage, nina, factories.local(day, "09:15"))
    return factories.booking(session, factories.client("Alice"))


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


def _pages(booking) -> dict[str, str]:
    day = timezone.localtime(booking.session.start, booking.session.start.tzinfo).date().isoformat()
    return {
        "calendar panel": reverse("dashboard:calendar_booking", args=[booking.pk]),
        "calendar": f"{reverse('dashboard:calendar')}?view=day&date={day}",
        "bookings list": reverse("dashboard:bookings"),
        "booking page": reverse("dashboard:booking", args=[booking.pk]),
    }


def _read(owner_client, url: str, language: str) -> str:
    response = owner_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def test_english_pages_follow_the_owners_12_hour_choice(owner_client, booking):
    for name, url in _pages(booking).items():
        page = _read(owner_client, url, "en")
        assert "9:15 AM" in page, name
        assert "09:15" not in page.replace("T09:15", ""), name


@pytest.mark.parametrize("language", ["fr", "he"])
def test_french_and_hebrew_pages_stay_on_the_24_hour_clock(owner_client, booking, language):
    for name, url in _pages(booking).items():
        page = _read(owner_client, url, language)
        assert "09:15" in page and " AM" not in page, name


def test_the_calendar_panel_and_booking_page_give_whole_isolated_ranges(owner_client, booking):
    for name in ("calendar panel", "booking page"):
        url = _pages(booking)[name]
        assert f"{LEFT_TO_RIGHT_ISOLATE}{RANGE_12}{POP_ISOLATE}" in _read(owner_client, url, "en"), name
        assert f"{LEFT_TO_RIGHT_ISOLATE}{RANGE_24}{POP_ISOLATE}" in _read(owner_client, url, "he"), name


def test_the_calendar_axis_follows_the_owners_choice(owner_client, booking):
    page = _read(owner_client, _pages(booking)["calendar"], "en")
    assert ">9 AM</span>" in page and ">1 PM</span>" in page


def test_staff_time_off_reads_in_the_owners_clock_in_one_order(owner_client, booking):
    start = booking.session.start + timedelta(days=1)
    TimeOff.objects.create(staff=booking.session.staff, start=start, end=start + timedelta(hours=2))
    url = reverse("dashboard:staff_member", args=[booking.session.staff.pk])
    english, hebrew = _read(owner_client, url, "en"), _read(owner_client, url, "he")
    day = timezone.localtime(start, start.tzinfo).strftime("%d/%m/%Y")
    assert f"{day} {LEFT_TO_RIGHT_ISOLATE}9:15 AM{POP_ISOLATE}" in english
    assert f"{LEFT_TO_RIGHT_ISOLATE}{day} {LEFT_TO_RIGHT_ISOLATE}09:15{POP_ISOLATE} \u2013" in hebrew


def test_a_request_and_its_other_times_read_in_the_owners_clock(owner_client, booking):
    booking.status = BookingStatus.REQUESTED
    booking.save(update_fields=["status"])
    assert RANGE_12 in _read(owner_client, reverse("dashboard:requests"), "en")
    other_times = _read(owner_client, reverse("dashboard:request_reschedule", args=[booking.pk]), "en")
    assert "9:15 AM (the requested time)" in other_times
