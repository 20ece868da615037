"""PostgreSQL: the availability version takes no lock writers wait for, and folding old changes
keeps the version a reader sees."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bookings_app.core import availability_version
from bookings_app.models import ServiceKind, Session
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_sessions():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10)
    start = timezone.now() + timedelta(days=2)
    return f.session(yoga, nina, start), f.session(yoga, nina, start + timedelta(hours=2))


def test_a_write_to_one_session_does_not_wait_for_an_open_write_to_another(two_sessions):
    """A shared version row would make the second write wait for the first's commit (and could
    deadlock two writers each holding a session); the change table makes neither wait."""
    first, second = two_sessions
    first_wrote, first_committed, second_done = threading.Event(), threading.Event(), threading.Event()
    finished_while_first_open = []
    before = availability_version.current_token()

    def hold_a_write_open() -> None:
        try:
            with transaction.atomic():
                Session.objects.filter(pk=first.pk).update(capacity=11)
                first_wrote.set()
                second_done.wait(timeout=10)
            first_committed.set()
        finally:
            connection.close()

    def write_the_other() -> None:
        try:
            first_wrote.wait(timeout=10)
            with transaction.atomic():
                Session.objects.filter(pk=second.pk).update(capacity=12)
            # Decided here, not by the main thread after a join: the holder may commit the
            # moment it hears of this write, before the main thread looks.
            finished_while_first_open.append(not first_committed.is_set())
            second_done.set()
        finally:
            connection.close()

    holder, writer = threading.Thread(target=hold_a_write_open), threading.Thread(target=write_the_other)
    holder.start()
    writer.start()
    writer.join(timeout=20)
    holder.join(timeout=20)

    assert finished_while_first_open == [True]
    assert availability_version.current_token() != before


def test_folding_the_changes_keeps_the_version_and_later_writes_still_change_it(two_sessions):
    first, _ = two_sessions
    for capacity in (11, 12, 13):
        Session.objects.filter(pk=first.pk).update(capacity=capacity)
    seen = availability_version.current_token()

    assert availability_version.prune_changes() >= 3
    assert availability_version.current_token() == seen
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {availability_version.CHANGES_TABLE}")
        assert cursor.fetchone()[0] == 0

    Session.objects.filter(pk=first.pk).update(capacity=14)
    assert availability_version.current_token() != seen
