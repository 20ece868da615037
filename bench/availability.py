"""How long a month of free slots takes: 10 staff, 3,000 sessions, 30 days.

    DEBUG=true .venv/bin/python bench/availability.py [--repeat 7]
    DEBUG=true DATABASE_URL=postgres://… .venv/bin/python bench/availability.py

It never touches your database: on SQLite everything lives in a temporary directory; on
PostgreSQL Django's test-database machinery creates (and drops) a database of its own.

Beside ``free_slots`` it times the one query that loads the month's sessions — the floor no
Python can beat — and prints the ratio. Ten staff working Mon–Sat 08:00–20:00 cannot hold
3,000 sessions of 75 blocked minutes inside their hours, so each staff member's 300 sessions
are placed at random (seeded) on the 15-minute grid around the clock, never overlapping: half
of every day is blocked, the working hours keep some free slots, and all 3,000 are loaded.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

STAFF = 10
_RANDOM = random.Random(2027)
SESSIONS = 3_000
DAYS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs after one warm-up (default 7)")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="rendez-bench-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ["RENDEZ_VAR_DIR"] = scratch.name  # logs, mail, broker and the SQLite test file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    on_sqlite = connection.vendor == "sqlite"
    connection.settings_dict["TEST"]["NAME"] = (
        f"{scratch.name}/bench-test.sqlite3" if on_sqlite else f"rendez_bench_{os.getpid()}"
    )
    original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        report = run(args.repeat)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        scratch.cleanup()
    print_report(report)


def run(repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bookings_app.availability import free_slots

    now = timezone.now()
    service, business = build_month(now)
    today = now.astimezone(business.tz).date()
    month = {"service": service, "start_date": today, "end_date": today + timedelta(days=DAYS - 1),
             "now": now}

    with CaptureQueriesContext(connection) as queries:
        slots = free_slots(**month)  # warm-up
    sessions_query = month_sessions_query(service, now)
    list(sessions_query)

    slot_times = timed(lambda: free_slots(**month), repeat)
    floor_times = timed(lambda: list(sessions_query.all()), repeat)
    return {
        "db": connection.vendor, "repeat": repeat, "staff": STAFF, "sessions": SESSIONS, "days": DAYS,
        "slots": len(slots), "queries": len(queries), "rows": len(list(sessions_query.all())),
        "slot_times": slot_times, "floor_times": floor_times,
    }


def build_month(now: datetime):
    """The business, ten staff on Mon–Sat 08:00–20:00, one service, 3,000 sessions."""
    from bookings_app.models import Business, Service, ServiceKind, Session, StaffMember, WorkingHours

    business, _ = Business.objects.update_or_create(
        pk=1, defaults={"time_zone": "Europe/Paris", "slot_step_minutes": 15, "min_notice_minutes": 120,
                        "max_advance_days": 60},
    )
    team = StaffMember.objects.bulk_create(StaffMember(name=f"Staff {n:02}") for n in range(STAFF))
    WorkingHours.objects.bulk_create(
        WorkingHours(staff=member, weekday=weekday, start=time(8), end=time(20))
        for member in team for weekday in range(6)
    )
    service = Service.objects.create(kind=ServiceKind.APPOINTMENT, name="Massage", slug="massage",
                                     duration_minutes=60, buffer_after_minutes=15)
    service.staff.set(team)

    sessions = []
    for member in team:
        for start in _random_starts(now, SESSIONS // STAFF, blocked=service.duration + service.buffer_after):
            end = start + service.duration
            sessions.append(Session(service=service, staff=member, start=start, end=end,
                                    blocked_start=start, blocked_end=end + service.buffer_after))
    Session.objects.bulk_create(sessions, batch_size=500)
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
    from bookings_app.availability import BLOCKING_SESSION_STATUSES
    from bookings_app.models import Session

    return Session.objects.filter(
        staff_id__in=list(service.staff.values_list("pk", flat=True)), status__in=BLOCKING_SESSION_STATUSES,
        blocked_start__lt=now + timedelta(days=DAYS + 1), blocked_end__gt=now,
    ).order_by().values_list("staff_id", "blocked_start", "blocked_end")


def timed(action, repeat: int) -> list[float]:
    """Milliseconds per run."""
    times = []
    for _ in range(repeat):
        started = clock.perf_counter()
        action()
        times.append((clock.perf_counter() - started) * 1000)
    return times


def print_report(report: dict) -> None:
    slot_times, floor_times = report.pop("slot_times"), report.pop("floor_times")
    median, floor = statistics.median(slot_times), statistics.median(floor_times)
    print(f"availability on {report['db']}: {report['staff']} staff, {report['sessions']} sessions, "
          f"{report['days']} days -> {report['slots']} free slots in {report['queries']} queries "
          f"(median of {report['repeat']} after a warm-up)")
    print(f"  {'':<26}{'median':>10}{'min':>10}{'max':>10}")
    for label, times in ((f"free_slots, {DAYS} days", slot_times), (f"sessions query ({report['rows']} rows)",
                                                                      floor_times)):
        print(f"  {label:<26}" + "".join(f"{value:>8.1f}ms" for value in (statistics.median(times),
                                                                            min(times), max(times))))
    print(f"  free_slots / floor: {median / floor:.1f}x   (aim: under 50 ms)")
    print(json.dumps({
        "bench": "availability", **report, "median_ms": round(median, 2), "min_ms": round(min(slot_times), 2),
        "max_ms": round(max(slot_times), 2), "floor_ms": round(floor, 2), "ratio": round(median / floor, 2),
        "date": date.today().isoformat(),
    }))


if __name__ == "__main__":
    main()
