"""How long a month of free slots takes: 10 staff, 3,000 sessions, 30 days.

    DEBUG=true .venv/bin/python bench/availability.py [--repeat 7] [--quick] [--scale 10]
    DEBUG=true DATABASE_URL=postgres://… .venv/bin/python bench/availability.py

``--scale 10`` makes 100 staff and 30,000 sessions (the same density); ``--quick`` a tenth.

It never touches your database: on SQLite everything lives in a temporary directory; on
PostgreSQL Django's test-database machinery creates (and drops) a database of its own.

Beside ``free_slots`` it times the one query that loads the month's sessions — the floor no
Python can beat — and prints the ratio. Ten staff working Mon–Sat 08:00–20:00 cannot hold
3,000 sessions of 75 blocked minutes inside their hours, so each staff member's 300 sessions
are placed at random (seeded) on the 15-minute grid around the clock, never overlapping: half
of every day is blocked, the working hours keep some free slots, and all 3,000 are loaded.
"""

import argparse
import random
import statistics
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import _common  # noqa: E402  (bench/ is this script's own folder on sys.path)
from _common import timed  # noqa: E402

STAFF = 10
_RANDOM = random.Random(2027)
SESSIONS = 3_000
DAYS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs after one warm-up (default 7)")
    _common.add_size_arguments(parser)
    args = parser.parse_args()
    staff, sessions = _common.sized(STAFF, args), _common.sized(SESSIONS, args, least=STAFF)
    with _common.bench_database("availability"):
        report = run(args.repeat, staff=staff, sessions=sessions)
        print_report(report, args)


def run(repeat: int, *, staff: int, sessions: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bookings_app.selectors.availability import free_slots

    now = timezone.now()
    service, business = build_month(now, staff=staff, sessions=sessions)
    today = now.astimezone(business.tz).date()
    month = {
        "service": service,
        "start_date": today,
        "end_date": today + timedelta(days=DAYS - 1),
        "now": now,
    }

    with CaptureQueriesContext(connection) as queries:
        slots = free_slots(**month)  # warm-up
    sessions_query = month_sessions_query(service, now)
    list(sessions_query)

    slot_times = timed(lambda: free_slots(**month), repeat)
    floor_times = timed(lambda: list(sessions_query.all()), repeat)
    return {
        "db": connection.vendor,
        "repeat": repeat,
        "staff": staff,
        "sessions": sessions,
        "days": DAYS,
        "slots": len(slots),
        "queries": len(queries),
        "rows": len(list(sessions_query.all())),
        "slot_times": slot_times,
        "floor_times": floor_times,
    }


def build_month(now: datetime, *, staff: int = STAFF, sessions: int = SESSIONS):
    """The business, ``staff`` people on Mon–Sat 08:00–20:00, one service, ``sessions`` sessions."""
    from bookings_app.models import Business, Service, ServiceKind, Session, StaffMember, WorkingHours

    business, _ = Business.objects.update_or_create(
        pk=1,
        defaults={
            "time_zone": "Europe/Paris",
            "slot_step_minutes": 15,
            "min_notice_minutes": 120,
            "max_advance_days": 60,
        },
    )
    team = StaffMember.objects.bulk_create(StaffMember(name=f"Staff {n:02}") for n in range(staff))
    WorkingHours.objects.bulk_create(
        WorkingHours(staff=member, weekday=weekday, start=time(8), end=time(20))
        for member in team
        for weekday in range(6)
    )
    service = Service.objects.create(
        kind=ServiceKind.APPOINTMENT,
        name="Massage",
        slug="massage",
        duration_minutes=60,
        buffer_after_minutes=15,
    )
    service.staff.set(team)

    rows = []
    for member in team:
        for start in _random_starts(now, sessions // staff, blocked=service.duration + service.buffer_after):
            end = start + service.duration
            rows.append(
                Session(
                    service=service,
                    staff=member,
                    start=start,
                    end=end,
                    blocked_start=start,
                    blocked_end=end + service.buffer_after,
                )
            )
    Session.objects.bulk_create(rows, batch_size=500)
    return service, business


def _random_starts(now: datetime, count: int, *, blocked: timedelta) -> list[datetime]:
    """``count`` starts on the 15-minute grid over the month whose blocked spans never overlap.

    Stars and bars: pick ``count`` sorted positions among the quarters left once every session
    has its span, then put each session's span before the next position.
    """
    quarter = timedelta(minutes=15)
    length = -(-blocked // quarter)
    first = now.replace(second=0, microsecond=0) - timedelta(minutes=now.minute % 15)
    room = DAYS * 96 - count * (length - 1)
    positions = sorted(_RANDOM.sample(range(room), count))
    return [first + (position + n * (length - 1)) * quarter for n, position in enumerate(positions)]


def month_sessions_query(service, now: datetime):
    """The same sessions query free_slots runs for the month."""
    from bookings_app.models import Session
    from bookings_app.selectors.availability import BLOCKING_SESSION_STATUSES

    return (
        Session.objects.filter(
            staff_id__in=list(service.staff.values_list("pk", flat=True)),
            status__in=BLOCKING_SESSION_STATUSES,
            blocked_start__lt=now + timedelta(days=DAYS + 1),
            blocked_end__gt=now,
        )
        .order_by()
        .values_list("staff_id", "blocked_start", "blocked_end")
    )


def print_report(report: dict, args: argparse.Namespace) -> None:
    slot_times, floor_times = report.pop("slot_times"), report.pop("floor_times")
    median, floor = statistics.median(slot_times), statistics.median(floor_times)
    print(
        f"availability on {report['db']}: {report['staff']} staff, {report['sessions']} sessions, "
        f"{report['days']} days -> {report['slots']} free slots in {report['queries']} queries "
        f"(median of {report['repeat']} after a warm-up)"
    )
    print(f"  {'':<26}{'median':>10}{'min':>10}{'max':>10}")
    for label, times in (
        (f"free_slots, {DAYS} days", slot_times),
        (f"sessions query ({report['rows']} rows)", floor_times),
    ):
        print(
            f"  {label:<26}"
            + "".join(f"{value:>8.1f}ms" for value in (statistics.median(times), min(times), max(times)))
        )
    print(f"  free_slots / floor: {median / floor:.1f}x   (aim: under 50 ms)")
    size = f"{report['staff']} staff, {report['sessions']:,} sessions"
    _common.record(
        "availability",
        [
            _common.figure(
                f"free_slots, {DAYS} days",
                slot_times,
                "ms",
                floor=floor_times,
                floor_label=f"the sessions query ({report['rows']:,} rows)",
                size=size,
                aim="< 50 ms",
            )
        ],
        args=args,
        details=report,
    )


if __name__ == "__main__":
    main()
