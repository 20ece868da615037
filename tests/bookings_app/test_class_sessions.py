"""Class sessions from a weekly rule: at the same wall-clock time, never twice."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings_app.models import DomainEvent, EventKind, ServiceKind, Session
from bookings_app.services.sessions import emit_session_events, generate_class_sessions
from tests import factories as f

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def yoga(db):
    f.business(max_advance_days=30)
    nina = f.staff_member("Nina")
    return f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12), nina


def test_it_creates_each_session_of_the_rule_once_however_often_it_runs(yoga):
    service, nina = yoga
    rule = f.class_schedule(service, nina, weekdays="MO,WE", at="18:00", starts_on=date(2027, 3, 1), count=6)
    now = datetime(2027, 2, 28, 12, tzinfo=PARIS)
    assert generate_class_sessions(now=now) == 6
    assert generate_class_sessions(now=now) == 0
    starts = list(Session.objects.filter(schedule=rule).values_list("start", flat=True))
    assert [s.astimezone(PARIS).strftime("%a %d %H:%M") for s in starts] == [
        "Mon 01 18:00",
        "Wed 03 18:00",
        "Mon 08 18:00",
        "Wed 10 18:00",
        "Mon 15 18:00",
        "Wed 17 18:00",
    ]
    assert all(s.capacity == 12 for s in Session.objects.all())


def test_it_keeps_the_wall_clock_time_across_the_spring_change(yoga):
    service, nina = yoga
    f.class_schedule(service, nina, weekdays="FR,MO", at="18:00", starts_on=date(2027, 3, 26), count=2)
    generate_class_sessions(now=datetime(2027, 3, 20, tzinfo=PARIS))
    friday, monday = Session.objects.order_by("start")
    assert friday.start.astimezone(ZoneInfo("UTC")).hour == 17
    assert monday.start.astimezone(ZoneInfo("UTC")).hour == 16


def test_it_generates_only_up_to_the_booking_window(yoga):
    service, nina = yoga
    f.class_schedule(service, nina, weekdays="TU", at="09:00", starts_on=date(2027, 1, 5))
    generate_class_sessions(now=datetime(2027, 1, 1, tzinfo=PARIS))
    last = Session.objects.order_by("-start").first().start
    assert last <= datetime(2027, 1, 1, tzinfo=PARIS) + timedelta(days=30 + 14 + 1)
    assert Session.objects.count() == 6


def test_started_and_ended_events_are_recorded_once(yoga):
    service, nina = yoga
    session = f.session(service, nina, datetime(2027, 5, 3, 18, tzinfo=PARIS))
    assert emit_session_events(now=datetime(2027, 5, 3, 18, 5, tzinfo=PARIS)) == 1
    assert emit_session_events(now=datetime(2027, 5, 3, 19, 5, tzinfo=PARIS)) == 1
    assert emit_session_events(now=datetime(2027, 5, 3, 19, 10, tzinfo=PARIS)) == 0
    kinds = list(DomainEvent.objects.filter(session=session).values_list("kind", flat=True))
    assert kinds == [EventKind.SESSION_STARTED, EventKind.SESSION_ENDED]
