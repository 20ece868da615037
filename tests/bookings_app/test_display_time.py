"""One style for times and dates: 24-hour in French and Hebrew, the owner's choice in English,
day before month, ranges that keep their order in Hebrew, whole days off as "All day"."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from bookings_app.display import display_time
from bookings_app.models import Business, ServiceKind, TimeOff
from tests import factories as make

pytestmark = pytest.mark.django_db

MONDAY = make.next_weekday(0, after=timezone.localdate() + timedelta(days=1))


@pytest.fixture
def yoga():
    make.business(time_zone="Europe/Paris")
    nina = make.staff_member("Nina")
    yoga = make.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, duration_minutes=45)
    make.session(yoga, nina, make.local(MONDAY, "18:30"))
    return yoga


def twelve_hour_clock() -> None:
    Business.objects.filter(pk=1).update(clock_12_hour=True)


def test_it_shows_english_times_on_the_24_hour_clock_by_default(client, yoga):
    page = client.get(yoga.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "18:30–19:15" in page
    assert "p.m." not in page


def test_it_shows_english_times_on_the_12_hour_clock_when_the_owner_chose_it(client, yoga):
    twelve_hour_clock()

    page = client.get(yoga.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "6:30 PM–7:15 PM" in page


@pytest.mark.parametrize("language", ["fr", "he"])
def test_it_keeps_french_and_hebrew_on_the_24_hour_clock_whatever_the_owner_chose(client, yoga, language):
    twelve_hour_clock()

    page = client.get(yoga.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "18:30–19:15" in page


def test_it_writes_english_dates_day_first():
    monday = make.local(
        make.next_weekday(0, after=MONDAY.replace(month=12, day=1) - timedelta(days=1)), "09:15"
    )
    with translation.override("en"):
        assert display_time.long_date(monday) == f"Monday, {monday.day} December {monday.year}"
        assert display_time.short_date(monday) == f"Monday, {monday.day} December"


def test_it_keeps_a_hebrew_time_range_in_one_order():
    start = make.local(MONDAY, "09:00")
    with translation.override("he"):
        shown = display_time.time_range(start, start + timedelta(hours=1))
    assert shown == "\u206609:00–10:00\u2069"


def test_it_lets_the_owner_choose_the_12_hour_clock_in_the_settings(client, olivia):
    make.business()
    client.force_login(olivia)
    response = client.post(
        "/dashboard/settings/",
        {
            "name": "Studio Lumen",
            "time_zone": "Europe/Paris",
            "currency": "EUR",
            "language": "en",
            "clock_12_hour": "on",
            "sender_email": "hello@lumen.test",
            "min_notice_minutes": 60,
            "max_advance_days": 90,
            "cancel_window_hours": 12,
            "slot_step_minutes": 15,
        },
    )

    assert response.status_code == 302
    assert Business.current().clock_12_hour is True


def test_it_labels_a_whole_day_off_all_day_in_the_calendar(client, olivia):
    make.business(time_zone="Europe/Paris")
    omar = make.staff_member("Omar")
    TimeOff.objects.create(
        staff=omar, start=make.local(MONDAY, "00:00"), end=make.local(MONDAY + timedelta(days=1), "00:00")
    )
    client.force_login(olivia)

    page = client.get(
        f"/dashboard/calendar/?view=week&date={MONDAY}", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "All day" in page
    assert "00:00–00:00" not in page


def test_it_shows_the_owner_s_12_hour_choice_on_the_dashboard_home(client, olivia):
    make.business(time_zone="Europe/Paris", clock_12_hour=True)
    nina = make.staff_member("Nina", hours={d: [("08:00", "20:00")] for d in range(7)})
    massage = make.service("Massage", staff=[nina])
    today = timezone.localtime(timezone.now(), Business.current().tz).date()
    make.session(massage, nina, make.local(today, "18:00"))
    client.force_login(olivia)

    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "6:00 PM–7:00 PM" in page
