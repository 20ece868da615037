"""The slot cache: the answer through the cache is always the answer computed afresh.

Random sequences of every kind of write that changes availability (bookings and requests,
cancelling, moving, approving and declining, working hours, date overrides, time off, busy
times from outside calendars, service and staff settings, the business's policy; through the
services and through ``QuerySet.update()`` / ``bulk_create``, which bypass Python hooks), each
followed by the same questions asked through the cache and without it.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings_app.core import availability_version
from bookings_app.core.errors import BookingError
from bookings_app.models import (
    Booking,
    BookingStatus,
    Business,
    BusyTime,
    DateOverride,
    OutsideCalendar,
    Service,
    Session,
    SessionStatus,
    StaffMember,
    TimeOff,
    WorkingHours,
)
from bookings_app.selectors import availability, availability_cache
from bookings_app.selectors.availability_cache import MINUTE, CachedAvailability
from bookings_app.services import catalog, changes, requests
from bookings_app.services import settings as business_settings
from bookings_app.services.bookings import book_appointment
from tests import factories as make

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)
DAYS = [MONDAY + timedelta(days=n) for n in range(3)]
NOW = make.local(MONDAY, "08:00")
PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _empty_cache():
    availability_cache.forget_everything()


@pytest.fixture
def studio():
    return make.business(min_notice_minutes=90, slot_step_minutes=30, max_advance_days=2)


@pytest.fixture
def nina(studio):
    return make.staff_member("Nina")


@pytest.fixture
def omar(studio):
    return make.staff_member("Omar", hours={0: [("10:00", "14:00")], 1: [("12:00", "18:00")]})


@pytest.fixture
def massage(nina, omar):
    return make.service("Massage", staff=[nina, omar], duration_minutes=60)


# --- The safety net: every table free slots read has its triggers ---------------------------------


def test_it_guards_every_table_free_slots_reads(studio, nina, massage):
    with CaptureQueriesContext(connection) as queries:
        CachedAvailability(token="t", minute=NOW)._compute(massage, MONDAY, MONDAY, PARIS, nina, studio)
    read = {table for query in queries for table in re.findall(r'"(bookings_app_\w+)"', query["sql"])}

    assert read <= set(availability_version.TABLES), read - set(availability_version.TABLES)
    assert "bookings_app_session" in read and "bookings_app_service_staff" in read


def _token() -> str:
    return availability_version.current_token()


def _changes_token(write) -> bool:
    before = _token()
    write()
    return _token() != before


def test_it_changes_the_token_for_every_kind_of_write_on_every_guarded_table(studio, nina, omar, massage):
    session = make.session(massage, nina, make.local(DAYS[1], "10:00"))
    calendar = OutsideCalendar.objects.create(staff=nina, name="Home", url="https://cal.test/a.ics")
    rows = {
        Business: studio,
        Service: massage,
        StaffMember: nina,
        WorkingHours: nina.working_hours.first(),
        DateOverride: DateOverride.objects.create(staff=nina, date=MONDAY, start=time(9), end=time(10)),
        TimeOff: TimeOff.objects.create(staff=nina, start=NOW, end=NOW + timedelta(hours=1)),
        BusyTime: BusyTime.objects.create(calendar=calendar, staff=nina, start=NOW, end=NOW + MINUTE),
        Session: session,
    }
    guarded = {model._meta.db_table for model in rows} | {Service.staff.through._meta.db_table}
    assert guarded == set(availability_version.TABLES)
    for model, row in rows.items():
        same = model.objects.filter(pk=row.pk)
        assert _changes_token(lambda same=same, row=row: same.update(id=row.pk)), (
            f"{model.__name__}: update()"
        )
        assert _changes_token(row.save), f"{model.__name__}: save()"
    assert _changes_token(lambda: massage.staff.remove(omar)), "service staff: remove"
    assert _changes_token(lambda: massage.staff.add(omar)), "service staff: add"
    assert _changes_token(
        lambda: WorkingHours.objects.bulk_create(
            [WorkingHours(staff=omar, weekday=4, start=time(8), end=time(9))]
        )
    ), "bulk_create"
    assert _changes_token(lambda: BusyTime.objects.filter(calendar=calendar).delete()), "QuerySet.delete()"
    assert _changes_token(lambda: session.delete()), "delete()"


def test_it_puts_back_the_triggers_a_rebuilt_table_lost(studio):
    """SQLite drops a table's triggers when a migration rebuilds it; every migrate installs them again."""
    table = "bookings_app_timeoff"
    if connection.vendor == "sqlite":
        drop = f"DROP TRIGGER {availability_version.trigger_name(table, 'insert')}"
    else:
        drop = f"DROP TRIGGER {availability_version.trigger_name(table)} ON {table}"
    with connection.cursor() as cursor:
        cursor.execute(drop)
    availability_version.install(using="default")

    assert _changes_token(
        lambda: TimeOff.objects.create(staff=make.staff_member("Lea"), start=NOW, end=NOW + MINUTE)
    )


# --- The cache against the truth ---------------------------------------------------------------


def _fresh_answer(service, day_from, day_to, tz, staff, minute) -> list[tuple]:
    """What is free throughout the minute, computed afresh: free at its start and at its end."""
    fresh_service, business = Service.objects.get(pk=service.pk), Business.current()

    def at(now):
        return {
            (slot.start.astimezone(UTC), slot.end.astimezone(UTC), slot.staff_id)
            for slot in availability.free_slots(
                service=fresh_service,
                start_date=day_from,
                end_date=day_to,
                tz=tz,
                staff=staff,
                now=now,
                business=business,
            )
        }

    return sorted(at(minute) & at(minute + MINUTE))


def _cached_answer(service, day_from, day_to, tz, staff, business, now) -> list[tuple]:
    slots = CachedAvailability.read(now=now).free_slots(
        service=service, start_date=day_from, end_date=day_to, tz=tz, staff=staff, business=business
    )
    return [(slot.start.astimezone(UTC), slot.end.astimezone(UTC), slot.staff_id) for slot in slots]


QUESTIONS = [
    (DAYS[0], DAYS[0], PARIS, "all"),
    (DAYS[1], DAYS[1], NEW_YORK, "nina"),
    (DAYS[0], DAYS[2], PARIS, "omar"),
]


def _ask_everything(massage, staff_by_name, studio, now) -> None:
    """Every question twice through the cache (a miss, then a hit) against the fresh answer."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    for day_from, day_to, tz, who in QUESTIONS:
        staff = staff_by_name.get(who)
        fresh = _fresh_answer(massage, day_from, day_to, tz, staff, minute)
        for _ in range(2):
            assert _cached_answer(massage, day_from, day_to, tz, staff, studio, now) == fresh, (
                day_from,
                tz,
                who,
            )
    days = CachedAvailability.read(now=now).available_days(
        service=massage, start_date=DAYS[0], end_date=DAYS[-1], tz=PARIS, staff=None, business=studio
    )
    fresh_days = {
        start.astimezone(PARIS).date()
        for start, _, _ in _fresh_answer(massage, DAYS[0], DAYS[-1], PARIS, None, minute)
    }
    assert days == fresh_days


def _starts(draw_hour: int, draw_half: int, day: int) -> datetime:
    return make.local(DAYS[day], f"{draw_hour:02d}:{30 * draw_half:02d}")


WRITES = st.one_of(
    st.tuples(
        st.just("book"),
        st.integers(8, 17),
        st.integers(0, 1),
        st.integers(0, 2),
        st.sampled_from(["nina", "omar", None]),
    ),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(8, 17), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("approve"), st.integers(0, 5)),
    st.tuples(st.just("decline"), st.integers(0, 5)),
    st.tuples(st.just("cancel session rows"), st.integers(0, 5)),  # QuerySet.update, as some services do
    st.tuples(
        st.just("time off"),
        st.integers(6, 18),
        st.integers(1, 6),
        st.integers(0, 2),
        st.sampled_from(["nina", "omar"]),
    ),
    st.tuples(st.just("remove time off"), st.integers(0, 3)),
    st.tuples(
        st.just("override"),
        st.integers(6, 12),
        st.integers(1, 8),
        st.integers(0, 2),
        st.sampled_from(["nina", "omar"]),
    ),
    st.tuples(st.just("remove override"), st.integers(0, 3)),
    st.tuples(st.just("hours"), st.sampled_from(["nina", "omar"]), st.integers(6, 12), st.integers(2, 10)),
    st.tuples(st.just("busy times"), st.integers(6, 18), st.integers(1, 4), st.integers(0, 2)),
    st.tuples(st.just("drop outside calendar")),
    st.tuples(
        st.just("service"),
        st.sampled_from([30, 45, 60, 90]),
        st.sampled_from([0, 15]),
        st.sampled_from([0, 10]),
    ),
    st.tuples(st.just("service staff"), st.sampled_from([("nina",), ("omar",), ("nina", "omar"), ()])),
    st.tuples(st.just("online"), st.booleans()),
    st.tuples(st.just("approval"), st.booleans(), st.booleans()),  # QuerySet.update
    st.tuples(st.just("staff active"), st.sampled_from(["nina", "omar"]), st.booleans()),
    st.tuples(
        st.just("policy"),
        st.sampled_from([0, 30, 90, 240]),
        st.sampled_from([15, 30, 60]),
        st.sampled_from([1, 2, 3]),
    ),
    st.tuples(st.just("time passes"), st.integers(1, 200)),
)


def _apply(write: tuple, *, studio, massage, staff_by_name, clock: list[datetime]) -> None:
    kind, *args = write
    now = clock[0]
    live = list(
        Booking.objects.filter(service=massage, status__in=[BookingStatus.CONFIRMED, BookingStatus.REQUESTED])
        .select_related("session", "service")
        .order_by("pk")
    )
    requested = [booking for booking in live if booking.status == BookingStatus.REQUESTED]

    def pick(bookings, index):
        return bookings[index % len(bookings)] if bookings else None

    try:
        if kind == "book":
            hour, half, day, who = args
            book_appointment(
                service=Service.objects.get(pk=massage.pk),
                start=_starts(hour, half, day),
                staff=staff_by_name.get(who),
                details=make.racer(len(live) + Booking.objects.count()),
                now=now,
            )
        elif kind == "cancel" and (booking := pick(live, args[0])):
            changes.cancel_booking(booking=booking, by_client=False, now=now)
        elif kind == "move" and (booking := pick(live, args[0])):
            index, hour, half, day = args
            changes.reschedule_appointment(
                booking=booking, start=_starts(hour, half, day), by_client=False, notify=False, now=now
            )
        elif kind == "approve" and (booking := pick(requested, args[0])):
            requests.approve_request(booking=booking, by=None, now=now)
        elif kind == "decline" and (booking := pick(requested, args[0])):
            requests.decline_request(booking=booking, by=None, notify=False, now=now)
        elif kind == "cancel session rows" and (booking := pick(live, args[0])):
            Session.objects.filter(pk=booking.session_id).update(status=SessionStatus.CANCELLED)
        elif kind == "time off":
            hour, length, day, who = args
            start = make.local(DAYS[day], f"{hour:02d}:15")
            catalog.add_time_off(
                staff_member=staff_by_name[who], start=start, end=start + timedelta(hours=length) / 2
            )
        elif kind == "remove time off" and (time_off := pick(list(TimeOff.objects.order_by("pk")), args[0])):
            catalog.remove_time_off(time_off=time_off)
        elif kind == "override":
            hour, length, day, who = args
            catalog.add_date_override(
                staff_member=staff_by_name[who], date=DAYS[day], start=time(hour), end=time(hour + length)
            )
        elif kind == "remove override" and (
            override := pick(list(DateOverride.objects.order_by("pk")), args[0])
        ):
            catalog.remove_date_override(date_override=override)
        elif kind == "hours":
            who, hour, length = args
            intervals = [
                catalog.Interval(weekday=d, start=time(hour), end=time(hour + length)) for d in range(5)
            ]
            catalog.replace_working_hours(staff_member=staff_by_name[who], intervals=intervals)
        elif kind == "busy times":
            hour, length, day = args
            calendar, _ = OutsideCalendar.objects.get_or_create(
                staff=staff_by_name["nina"], name="Home", defaults={"url": "https://cal.test/home.ics"}
            )
            start = make.local(DAYS[day], f"{hour:02d}:45")
            with transaction.atomic():  # as _record_success replaces a calendar's busy times
                BusyTime.objects.filter(calendar=calendar).delete()
                BusyTime.objects.bulk_create(
                    [
                        BusyTime(
                            calendar=calendar,
                            staff_id=calendar.staff_id,
                            start=start,
                            end=start + timedelta(hours=length),
                        )
                    ]
                )
        elif kind == "drop outside calendar" and (calendar := OutsideCalendar.objects.first()):
            from bookings_app.services.busy_times import remove_outside_calendar

            remove_outside_calendar(calendar=calendar)
        elif kind == "service":
            duration, before, after = args
            catalog.update_service(
                service=Service.objects.get(pk=massage.pk),
                duration_minutes=duration,
                buffer_before_minutes=before,
                buffer_after_minutes=after,
            )
        elif kind == "service staff":
            catalog.update_service(
                service=Service.objects.get(pk=massage.pk), staff=[staff_by_name[name] for name in args[0]]
            )
        elif kind == "online":
            catalog.update_service(service=Service.objects.get(pk=massage.pk), is_online=args[0])
        elif kind == "approval":
            Service.objects.filter(pk=massage.pk).update(requires_approval=args[0], shared_requests=args[1])
        elif kind == "staff active":
            who, active = args
            catalog.update_staff_member(
                staff_member=StaffMember.objects.get(pk=staff_by_name[who].pk), is_active=active
            )
        elif kind == "policy":
            notice, step, ahead = args
            business_settings.update_business_settings(
                business=Business.current(),
                min_notice_minutes=notice,
                slot_step_minutes=step,
                max_advance_days=ahead,
            )
        elif kind == "time passes":
            clock[0] = now + timedelta(seconds=args[0] * 13)
    except BookingError:
        pass  # a refused write changes nothing, which the questions check as well


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(WRITES, min_size=1, max_size=10), seconds=st.integers(0, 59))
def test_it_answers_through_the_cache_what_it_computes_afresh_after_any_writes(
    studio, nina, omar, massage, writes, seconds
):
    staff_by_name = {"nina": nina, "omar": omar}
    clock = [NOW + timedelta(seconds=seconds)]
    with transaction.atomic():
        _ask_everything(massage, staff_by_name, studio, clock[0])  # fills the cache before any write
        for write in writes:
            _apply(write, studio=studio, massage=massage, staff_by_name=staff_by_name, clock=clock)
            # The caller's service and business stay as they were: the cache must not trust them.
            _ask_everything(massage, staff_by_name, studio, clock[0])
        transaction.set_rollback(True)  # the rolled-back token comes back with its data, never alone
