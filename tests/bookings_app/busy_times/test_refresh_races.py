"""Refreshes racing each other and a removal, real threads, real database: one set of busy times,
the latest fetch's, and nothing left behind a removed calendar."""

from datetime import timedelta

import pytest

from bookings_app.models import BusyTime, OutsideCalendar
from bookings_app.services.busy_times import refresh_outside_calendar, remove_outside_calendar, request_fetch
from tests import factories
from tests.support.calendar_server import NOW, ics
from tests.support.races import CROWD, race


@pytest.fixture(autouse=True)
def _patient_fetches(settings):
    """Fifty fetches at once from one loopback server on a loaded CI machine can outlast the
    folder's half-second read timeout; these tests are about who wins, not about speed."""
    settings.OUTSIDE_CALENDAR_CONNECT_TIMEOUT = 10.0
    settings.OUTSIDE_CALENDAR_READ_TIMEOUT = 20.0
    settings.OUTSIDE_CALENDAR_DEADLINE = 25.0


def ninas_calendar(url: str) -> OutsideCalendar:
    factories.business(time_zone="Europe/Paris", max_advance_days=60)
    return OutsideCalendar.objects.create(staff=factories.staff_member("Nina"), name="Work", url=url)


@pytest.mark.django_db(transaction=True)
def test_racing_refreshes_leave_one_set_of_busy_times_from_the_latest(calendar_server):
    calendar = ninas_calendar(calendar_server.serve("/work.ics", ics("work")))

    outcomes = race(
        lambda n: refresh_outside_calendar(calendar_id=calendar.pk, now=NOW + timedelta(seconds=n)),
        range(CROWD),
    )

    assert set(outcomes) == {"saved"}
    calendar.refresh_from_db()
    assert calendar.last_success_at == NOW + timedelta(seconds=CROWD - 1)
    assert BusyTime.objects.filter(calendar=calendar).count() == 6  # work.ics's six spans, once


@pytest.mark.django_db(transaction=True)
def test_a_refresh_racing_the_removal_leaves_no_busy_time_behind(calendar_server):
    calendar = ninas_calendar(calendar_server.serve("/work.ics", ics("work")))

    outcomes = race(
        lambda n: (
            remove_outside_calendar(calendar=calendar)
            if n == 0
            else refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)
        ),
        range(CROWD),
    )

    assert set(outcomes[1:]) <= {"saved", "gone"}
    assert not OutsideCalendar.objects.exists() and not BusyTime.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fetch_now_pressed_by_many_at_once_sends_one_fetch(handed_over):
    calendar = ninas_calendar("https://calendar.example/work.ics")

    outcomes = race(lambda _n: request_fetch(calendar=calendar), range(CROWD))

    assert set(outcomes) == {True}
    assert handed_over["bookings_app.tasks.refresh_outside_calendar"] == [calendar.pk]
