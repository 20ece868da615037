"""A studio in Paris whose staff member Nina keeps an outside calendar, served from the loopback."""

import threading

import pytest
from django.test import override_settings

from tests import factories
from tests.support.calendar_server import CalendarServer


@pytest.fixture(autouse=True)
def _small_limits():
    """The loopback is allowed here (as with DEBUG); the timeouts are short so a hang ends fast."""
    with override_settings(
        OUTSIDE_CALENDAR_ALLOW_LOOPBACK=True,
        OUTSIDE_CALENDAR_CONNECT_TIMEOUT=1.0,
        OUTSIDE_CALENDAR_READ_TIMEOUT=0.5,
        OUTSIDE_CALENDAR_DEADLINE=5.0,
    ):
        yield


@pytest.fixture
def calendar_server():
    threads_before = threading.active_count()
    server = CalendarServer()
    yield server
    server.close()
    assert threading.active_count() == threads_before  # no answer, and no fetch, left hanging


@pytest.fixture
def nina(db):
    factories.business(time_zone="Europe/Paris", max_advance_days=60)
    return factories.staff_member("Nina")
