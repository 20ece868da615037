"""The owner's home page: today's figures and two charts, in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, BookingStatus, Client, ServiceKind
from bookings_app.selectors import schedule
from tests import factories

HOME = "/dashboard/"


@pytest.fixture
def studio(db):
    factories.business(time_zone="Europe/Paris")
    nina = factories.staff_member("Nina")
    massage = factories.service("Massage", staff=[nina])
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10)
    return {"nina": nina, "massage": massage, "yoga": yoga}


def _today_at(clock: str):
    business = factories.business()
    return factories.local(timezone.localtime(timezone.now(), business.tz).date(), clock)


PEOPLE = [("anonymous", 302), ("carla", 403), ("sam", 403), ("olivia", 200)]


@pytest.mark.parametrize(("who", "status"), PEOPLE)
def test_it_lets_only_the_owner_open_home(client, request, db, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(HOME)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/dashboard/login/")


def test_it_lists_todays_sessions_with_seats(client, olivia, studio):
    session = factories.session(studio["yoga"], studio["nina"], _today_at("18:00"))
    factories.booking(session, factories.client("Alice"))
    client.force_login(olivia)
    page = client.get(HOME).content.decode()
    assert "Yoga" in page and "Nina" in page
    assert "1/10" in page


def test_it_counts_todays_bookings_check_ins_and_the_week_ahead(studio):
    now = timezone.now()
    tomorrow = factories.session(studio["yoga"], studio["nina"], now + timedelta(days=1))
    past = factories.session(studio["yoga"], studio["nina"], now - timedelta(hours=3))
    factories.booking(tomorrow, factories.client("Alice"))
    factories.booking(past, factories.client("Bob"), attendance=Attendance.CHECKED_IN, attendance_at=now)
    figures = schedule.today_figures(tz=factories.business().tz, now=now)
    assert figures.bookings_made == 2
    assert figures.check_ins == 1
    assert figures.upcoming_week == 1
    assert figures.pending_requests == 0


def test_it_leaves_the_past_and_the_weeks_after_out_of_todays_counts(studio):
    now = timezone.now()
    yesterday = now - timedelta(days=1)
    last_week = factories.session(studio["yoga"], studio["nina"], now - timedelta(days=7))
    old = factories.booking(last_week, factories.client("Alice"), attendance=Attendance.CHECKED_IN)
    Booking.objects.filter(pk=old.pk).update(
        created_at=yesterday - timedelta(days=7), attendance_at=yesterday
    )
    later = factories.session(studio["yoga"], studio["nina"], now + timedelta(days=8))
    early = factories.booking(later, factories.client("Bob"))
    Booking.objects.filter(pk=early.pk).update(created_at=yesterday)
    tomorrow = factories.session(studio["yoga"], studio["nina"], now + timedelta(days=1))
    cancelled = factories.booking(tomorrow, factories.client("Chloe"))
    Booking.objects.filter(pk=cancelled.pk).update(created_at=yesterday, status=BookingStatus.CANCELLED)

    figures = schedule.today_figures(tz=factories.business().tz, now=now)

    assert (figures.bookings_made, figures.check_ins, figures.upcoming_week) == (0, 0, 0)


def test_it_shows_the_pending_requests_tile_at_zero(client, olivia, studio):
    client.force_login(olivia)
    page = client.get(HOME).content.decode()
    assert "Pending requests" in page


def test_it_counts_bookings_and_attendance_by_session_week(studio):
    business = factories.business()
    now = timezone.now()
    last_week = factories.session(studio["yoga"], studio["nina"], now - timedelta(days=7))
    factories.booking(last_week, factories.client("Alice"), attendance=Attendance.CHECKED_IN)
    factories.booking(last_week, factories.client("Bob"), attendance=Attendance.NO_SHOW)
    cancelled = factories.booking(last_week, factories.client("Carol"))
    Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CANCELLED)
    weeks = schedule.weekly_figures(tz=business.tz, now=now)
    assert len(weeks) == 12
    monday = schedule.week_of(timezone.localtime(last_week.start, business.tz).date())[0]
    week = next(figures for figures in weeks if figures.week == monday)
    assert (week.bookings, week.checked_in, week.no_show) == (2, 1, 1)
    assert week.attendance_rate == 50
    assert weeks[-1].attendance_rate is None


def test_a_week_ends_at_the_businesss_own_midnight_across_a_clock_change(studio):
    """Paris leaves summer time on 25 October 2026: Sunday 23:30 and Monday 00:30 local fall on
    either side of that week's end, whatever their UTC offsets."""
    business = factories.business(time_zone="Europe/Paris")
    late_sunday = factories.local(date(2026, 10, 25), "23:30")
    early_monday = factories.local(date(2026, 10, 26), "00:30")
    for start, name in ((late_sunday, "Alice"), (early_monday, "Bob")):
        factories.booking(factories.session(studio["yoga"], studio["nina"], start), factories.client(name))

    weeks = schedule.weekly_figures(tz=business.tz, now=factories.local(date(2026, 11, 20), "12:00"))

    by_monday = {figures.week: figures.bookings for figures in weeks}
    assert by_monday[date(2026, 10, 19)] == 1
    assert by_monday[date(2026, 10, 26)] == 1
    assert sum(by_monday.values()) == 2


def test_it_draws_accessible_charts_with_their_figures(client, olivia, studio):
    session = factories.session(studio["yoga"], studio["nina"], timezone.now() - timedelta(days=1))
    factories.booking(session, factories.client("Alice"), attendance=Attendance.CHECKED_IN)
    client.force_login(olivia)
    page = client.get(HOME).content.decode()
    assert page.count('role="img"') == 2
    assert "<title>Bookings per week</title>" in page
    assert "<title>Attendance rate per week</title>" in page
    assert 'aria-label="Attendance rate per week: ' in page
    assert "100%" in page
    assert 'class="chart-frame"' in page


@pytest.mark.parametrize("bookings", [1, 200])
def test_it_makes_the_same_number_of_queries_whatever_the_bookings(
    client, olivia, studio, bookings, django_assert_num_queries
):
    start = timezone.now() - timedelta(days=3)
    sessions = [
        factories.session(studio["yoga"], studio["nina"], start + timedelta(hours=index), capacity=1000)
        for index in range(3)
    ]
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {index}", email=f"client{index}@client.test") for index in range(bookings)
    )
    Booking.objects.bulk_create(
        Booking(
            session=sessions[index % 3],
            service=studio["yoga"],
            client=person,
            code=f"C{index:08d}",
            attendance=Attendance.CHECKED_IN if index % 2 else "",
        )
        for index, person in enumerate(clients)
    )
    client.force_login(olivia)
    # session, user, groups, business, today's sessions, today's four counts (each from its own
    # index, so the past never enters them), weekly figures, revenue
    with django_assert_num_queries(11):
        assert client.get(HOME).status_code == 200
