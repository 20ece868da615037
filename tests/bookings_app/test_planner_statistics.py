"""Beat refreshes SQLite's query planner statistics every hour; PostgreSQL's autovacuum keeps its
own, so there the task does nothing."""

import pytest
from django.db import connection
from django.utils import timezone

from bookings_app.tasks import refresh_database_statistics
from tests import factories

pytestmark = pytest.mark.django_db


def test_beat_asks_every_hour(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["bookings_app.tasks.refresh_database_statistics"] == 3600.0


def test_sqlite_gets_statistics_of_the_bookings_indexes_and_postgresql_is_left_alone():
    nina = factories.staff_member("Nina")
    massage = factories.service("Massage", staff=[nina])
    factories.business()
    session = factories.session(massage, nina, factories.local(timezone.localdate(), "10:00"))
    factories.booking(session, factories.client("Alice"))

    refreshed = refresh_database_statistics()

    if connection.vendor != "sqlite":
        assert refreshed is False
        return
    assert refreshed is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT idx FROM sqlite_stat1 WHERE tbl = 'bookings_app_booking'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert "booking_created_idx" in indexes
