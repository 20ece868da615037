"""Whether the past costs the present: today's pages with one and with ten times the history.

    DEBUG=true .venv/bin/python bench/history.py [--repeat 30] [--quick] [--scale 10] [--growth 10]
    DEBUG=true DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/history.py

It builds today's load as the availability bench does at scale 1 (10 staff, one appointment
service, 3,000 sessions over the coming month, half of them booked), then a past: at 1×
1,000 clients and 10,000 past bookings, each with its session, its confirmation e-mail in
the outbox, one finished automation run and (when the client came) a loyalty ledger entry.
The 1× database is then copied and ``--growth`` − 1 times as much past again is added to the
copy, further back in time (10,000 clients and 100,000 bookings at 10×; today untouched).
``--scale`` multiplies the past (never today); ``--quick`` divides both by ten.

Both databases stay open and each page is timed on them side by side, the two requests of a
pair in turns (1× then 10×, then 10× then 1×): a machine whose speed drifts by a third within
minutes (as seen here) then slows both sizes alike, where timing all of 1× and then all of 10×
let the drift pass for growth. Each size has its own cache prefix, so neither reads the
other's kept pages.

The pages go through Django's test client in this one process, signed in as the owner (the
staff tablet: as a staff member), through the whole middleware stack, sessions included.
The test client rather than a server and a load generator (``bench/web.py``): what grows
with the past is the database work of one request, which is best read without a loader
sharing the two cores, and the same process can count each page's queries. The floor is
``/bench/floor`` (``bench/web_urls.py``), a view that returns "ok" through the same stack.

Per page: median and p95 over ``--repeat`` requests at each size (after two warm-ups), the
queries of one request, and the ratio 10×/1× of the medians. Aims (issue #23): every ratio
within 1.2×; the dashboard pages under 100 ms at p95 at 10×; the same number of queries.
"""

import argparse
import os
import shutil
import statistics
import sys
import time as clock
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import _common  # noqa: E402  (bench/ is this script's own folder on sys.path)
import availability  # noqa: E402

CLIENTS = 1_000
BOOKINGS_PER_CLIENT = 10
SLOTS_PER_DAY = 8  # past appointments per staff member and day (fewer with --quick), from 08:00 …
SLOT_EVERY = timedelta(minutes=90)  # … one every 90 minutes (an hour and its 15-minute buffer fit)
BATCH = 2_000
GROWTH_AIM = 1.2
P95_AIM_MS = 100
DASHBOARD = (
    "dashboard home",
    "calendar week",
    "bookings list",
    "clients list",
    "tablet day",
    "points report",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--growth", type=int, default=10, help="how many times the past grows (default 10)")
    parser.add_argument(
        "--plans", action="store_true", help="print the dashboard lists' query plans at the end"
    )
    _common.add_size_arguments(parser)
    args = parser.parse_args()
    if args.quick:
        args.repeat = min(args.repeat, 10)
    today_factor = _common.QUICK_FACTOR if args.quick else 1
    staff = availability.STAFF
    sessions = max(staff, round(availability.SESSIONS * today_factor))
    clients = _common.sized(CLIENTS, args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web_settings")  # the site plus /bench/floor
    with _common.bench_database("history") as scratch:
        _serve_the_test_client()
        site = build_today(staff=staff, sessions=sessions)
        # The 1× past reaches back further than the home's twelve weeks of charts at every size
        # (125 days at scale 1): a shorter one would make the charts, not the past, grow.
        site["slots_per_day"] = max(1, min(SLOTS_PER_DAY, round(SLOTS_PER_DAY * _common.size_factor(args))))
        grown_label = f"{args.growth}×"
        started = clock.monotonic()
        build_past(site, first_client=0, clients=clients)
        _analyze()
        print(f"past at 1×: {clients:,} clients built in {clock.monotonic() - started:.0f} s", flush=True)
        with _copied_database(scratch) as grown:
            started = clock.monotonic()
            with _on(grown):
                build_past(site, first_client=clients, clients=clients * (args.growth - 1))
                _analyze()
            print(
                f"past at {grown_label}: {clients * args.growth:,} clients built in "
                f"{clock.monotonic() - started:.0f} s",
                flush=True,
            )
            from django.db import connections

            sides = {"1×": connections["default"], grown_label: grown}
            timings = measure(site, sides, repeat=args.repeat)
            report(timings, args=args, clients=clients, sessions=sessions)
            if args.plans:
                with _on(grown):
                    print_plans(site)


@contextmanager
def _copied_database(scratch: Path):
    """A connection to a copy of the bench's database as it is now, dropped afterwards."""
    from django.db import connections

    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    original.close()
    if original.vendor == "sqlite":
        name = str(scratch / "bench-grown.sqlite3")
        shutil.copyfile(settings_dict["NAME"], name)
    else:
        name = f"{settings_dict['NAME']}_grown"
        with original._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings_dict["NAME"]}"')
    copy = original.__class__({**settings_dict, "NAME": name}, alias=original.alias)
    try:
        yield copy
    finally:
        copy.close()
        if original.vendor == "postgresql":
            with original._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _on(database, cache_prefix: str | None = None):
    """Django's default database is ``database`` inside the block (and the caches' keys start
    with ``cache_prefix``, when given)."""
    from django.core.cache import caches
    from django.db import connections

    saved_database = connections["default"]
    saved_prefixes = {alias: caches[alias].key_prefix for alias in caches}
    connections["default"] = database
    if cache_prefix is not None:
        for alias in saved_prefixes:
            caches[alias].key_prefix = f"{saved_prefixes[alias]}{cache_prefix}"
    try:
        yield
    finally:
        connections["default"] = saved_database
        for alias, prefix in saved_prefixes.items():
            caches[alias].key_prefix = prefix


def _analyze() -> None:
    """The planner's statistics after a bulk load, as the running site would soon have them:
    PostgreSQL's autovacuum (it vacuums a table after enough inserts), SQLite's hourly beat task
    (``refresh_planner_statistics``)."""
    from django.db import connection

    from bookings_app.core.planner_statistics import refresh_planner_statistics

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        refresh_planner_statistics()


def _serve_the_test_client() -> None:
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


# --- Today ------------------------------------------------------------------------------------------


def build_today(*, staff: int, sessions: int) -> dict:
    """The availability month (half its sessions booked by the first clients), the owner, a staff
    member's account, loyalty switched on, one automation; what the pages need to know."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from automations.models import Automation
    from bookings_app.models import User
    from bookings_app.web.roles import OWNER, STAFF, ensure_roles
    from loyalty.models import Program

    now = timezone.now()
    service, business = availability.build_month(now, staff=staff, sessions=sessions)
    ensure_roles()
    owner = User.objects.create_user("olivia@bench.test", None, first_name="Olivia")
    owner.groups.add(Group.objects.get(name=OWNER))
    desk = User.objects.create_user("sam@bench.test", None, first_name="Sam")
    desk.groups.add(Group.objects.get(name=STAFF))
    team = list(service.staff.order_by("pk"))
    team[0].user = desk
    team[0].save(update_fields=["user"])
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    automation = Automation.objects.create(name="Thank you", trigger="booking_created")
    return {
        "now": now,
        "today": now.astimezone(business.tz).date(),
        "tz": business.tz,
        "service": service,
        "team": team,
        "owner": owner,
        "desk": desk,
        "automation": automation,
        "booked_today": False,
        "sessions": sessions,
    }


def book_the_month(site: dict, client_ids: list[int]) -> None:
    """Every other session of the coming month gets a confirmed booking, clients in turn."""
    from bookings_app.models import Booking, Session

    upcoming = list(Session.objects.filter(start__gte=site["now"]).order_by("start", "pk")[::2])
    Session.objects.filter(pk__in=[session.pk for session in upcoming]).update(seats_taken=1)
    with _dated_by_hand():
        Booking.objects.bulk_create(
            (
                Booking(
                    code=f"T{n:09d}",
                    client_id=client_ids[n % len(client_ids)],
                    service_id=session.service_id,
                    session=session,
                    created_at=site["now"] - timedelta(days=1),
                    updated_at=site["now"] - timedelta(days=1),
                )
                for n, session in enumerate(upcoming)
            ),
            batch_size=BATCH,
        )


# --- The past ---------------------------------------------------------------------------------------


def build_past(site: dict, *, first_client: int, clients: int) -> None:
    """``clients`` more clients, each with their share of past bookings, further back than any so far."""
    from bookings_app.models import Client

    with _dated_by_hand():
        made = Client.objects.bulk_create(
            (
                Client(
                    first_name=f"Client{n:06d}",
                    last_name=("Martin", "Cohen", "Durand", "Levi")[n % 4],
                    email=f"client{n}@bench.test",
                    created_at=site["now"] - timedelta(days=n // 8),
                )
                for n in range(first_client, first_client + clients)
            ),
            batch_size=BATCH,
        )
    client_ids = [client.pk for client in made]
    if not site["booked_today"]:
        book_the_month(site, client_ids)
        site["booked_today"] = True
    first_booking = first_client * BOOKINGS_PER_CLIENT
    for start in range(0, clients * BOOKINGS_PER_CLIENT, BATCH):
        numbers = range(
            first_booking + start, first_booking + min(start + BATCH, clients * BOOKINGS_PER_CLIENT)
        )
        _past_batch(site, numbers, client_ids, first_booking)


def _past_batch(site: dict, numbers: range, client_ids: list[int], first_booking: int) -> None:
    """One batch of past bookings: the n-th in staff member n % staff's day -(1 + k // slots a day)."""
    from bookings_app.models import Attendance, Booking, BookingStatus, Session

    service, team = site["service"], site["team"]
    sessions, plans = [], []
    for n in numbers:
        slot = n // len(team)
        day = site["today"] - timedelta(days=1 + slot // site["slots_per_day"])
        start = datetime.combine(day, time(8), tzinfo=site["tz"]) + slot % site["slots_per_day"] * SLOT_EVERY
        end = start + service.duration
        sessions.append(
            Session(
                service=service,
                staff=team[n % len(team)],
                start=start,
                end=end,
                blocked_start=start,
                blocked_end=end + service.buffer_after,
                seats_taken=1,
            )
        )
        cancelled = n % 10 == 9
        came = not cancelled and n % 10 != 8
        plans.append((n, start, cancelled, came))
    sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
    with _dated_by_hand():
        bookings = Booking.objects.bulk_create(
            (
                Booking(
                    code=f"P{n:09d}",
                    client_id=client_ids[(n - first_booking) % len(client_ids)],
                    service=service,
                    session=session,
                    status=BookingStatus.CANCELLED if cancelled else BookingStatus.CONFIRMED,
                    attendance=(Attendance.CHECKED_IN if came else Attendance.NO_SHOW)
                    if not cancelled
                    else "",
                    attendance_at=start + timedelta(minutes=5) if not cancelled else None,
                    price=60,
                    created_at=start - timedelta(days=7),
                    updated_at=start,
                    cancelled_at=start - timedelta(days=1) if cancelled else None,
                )
                for session, (n, start, cancelled, came) in zip(sessions, plans, strict=True)
            ),
            batch_size=BATCH,
        )
    _past_outbox_runs_and_points(site, bookings, plans)


def _past_outbox_runs_and_points(site: dict, bookings: list, plans: list) -> None:
    """Each booking's confirmation e-mail (sent), its automation run (done) and, when the client
    came, 10 points earned (the balances follow the chain)."""
    from automations.models import Run
    from bookings_app.models import OutgoingEmail
    from loyalty.balance_totals import recount_balance_totals
    from loyalty.models import Balance, LedgerEntry

    with _dated_by_hand():
        OutgoingEmail.objects.bulk_create(
            (
                OutgoingEmail(
                    kind="booking_confirmed",
                    dedupe_key=f"booking_confirmed:{booking.pk}",
                    to=f"client{booking.client_id}@bench.test",
                    from_email="studio@bench.test",
                    subject="Your booking is confirmed",
                    body_text="See you soon.",
                    client_id=booking.client_id,
                    booking=booking,
                    status="sent",
                    created_at=start - timedelta(days=7),
                    sent_at=start - timedelta(days=7),
                )
                for booking, (_, start, _, _) in zip(bookings, plans, strict=True)
            ),
            batch_size=BATCH,
        )
        Run.objects.bulk_create(
            (
                Run(
                    automation=site["automation"],
                    key=f"{site['automation'].pk}:booking:{booking.pk}",
                    client_id=booking.client_id,
                    booking=booking,
                    status="done",
                    due_at=start - timedelta(days=7),
                    finished_at=start - timedelta(days=7),
                    created_at=start - timedelta(days=7),
                )
                for booking, (_, start, _, _) in zip(bookings, plans, strict=True)
            ),
            batch_size=BATCH,
        )
    touched = {booking.client_id for booking in bookings}
    balances = dict(Balance.objects.filter(client_id__in=touched).values_list("client_id", "points"))
    entries = []
    # Oldest first, so each client's chain of balances grows with the ids.
    for booking, (_, start, _, came) in sorted(
        zip(bookings, plans, strict=True), key=lambda pair: pair[1][1]
    ):
        if came:
            balances[booking.client_id] = balances.get(booking.client_id, 0) + 10
            entries.append(
                LedgerEntry(
                    client_id=booking.client_id,
                    points=10,
                    kind="earned",
                    description="Visit",
                    booking=booking,
                    service_id=booking.service_id,
                    created_at=start + timedelta(hours=1),
                    balance_after=balances[booking.client_id],
                )
            )
    LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
    Balance.objects.bulk_create(
        (Balance(client_id=client_id, points=points) for client_id, points in balances.items()),
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["client"],
        update_fields=["points"],
    )
    recount_balance_totals(Balance, LedgerEntry)  # as post_entry keeps them


@contextmanager
def _dated_by_hand():
    """Let bulk_create keep the past's own dates: ``auto_now(_add)`` would stamp them all today."""
    from automations.models import Run
    from bookings_app.models import Booking, Client, OutgoingEmail

    fields = [
        model._meta.get_field(name)
        for model, name in (
            (Booking, "created_at"),
            (Booking, "updated_at"),
            (Client, "created_at"),
            (OutgoingEmail, "created_at"),
            (Run, "created_at"),
        )
    ]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


# --- Measuring --------------------------------------------------------------------------------------


def pages(site: dict) -> dict[str, tuple[str, str | None, bool]]:
    """{label: (path, who signs in: "owner", "desk" or None, an HTMX request)}."""
    tomorrow: date = site["today"] + timedelta(days=1)
    slug = site["service"].slug
    return {
        "floor": ("/bench/floor", None, False),
        "service page": (f"/s/{slug}/", None, False),
        "slots fragment": (f"/s/{slug}/?day={tomorrow.isoformat()}", None, True),
        "dashboard home": ("/dashboard/", "owner", False),
        "calendar week": ("/dashboard/calendar/?view=week&staff=all", "owner", False),
        "bookings list": ("/dashboard/bookings/", "owner", False),
        "clients list": ("/dashboard/clients/", "owner", False),
        "tablet day": ("/staff/", "desk", False),
        "points report": ("/dashboard/loyalty/points/", "owner", False),
    }


def measure(site: dict, sides: dict, *, repeat: int) -> dict[str, dict[str, dict]]:
    """Each page on each side ({label: database}): its times (ms), and the queries and size of one
    request; the two sides' requests taken in turns."""
    from django.db import connection
    from django.test import Client as Browser

    from config.memory import freeze_startup_objects

    freeze_startup_objects()  # as a server's processes do (config/wsgi.py); the bench's own data with it
    browsers = {}
    for side, database in sides.items():
        with _on(database, cache_prefix=f"history-{side}:"):
            browsers[side] = {None: Browser(), "owner": Browser(), "desk": Browser()}
            browsers[side]["owner"].force_login(site["owner"])
            browsers[side]["desk"].force_login(site["desk"])
    found = {side: {} for side in sides}
    for label, (path, who, htmx) in pages(site).items():
        headers = {"HX-Request": "true"} if htmx else {}

        def fetch(side, path=path, who=who, headers=headers):
            with _on(sides[side], cache_prefix=f"history-{side}:"):
                response = browsers[side][who].get(path, headers=headers)
            assert response.status_code == 200, (side, path, response.status_code)
            return response

        times = {side: [] for side in sides}
        for side in sides:
            fetch(side)  # warm-ups: templates, caches, the database's own
            fetch(side)
            queries: list[str] = []
            with _on(sides[side]), connection.execute_wrapper(_Counter(queries)):
                size = len(fetch(side).content)
            found[side][label] = {"queries": len(queries), "bytes": size, "times": times[side]}
        order = list(sides)
        for _ in range(repeat):
            for side in order:
                times[side].extend(_common.timed(lambda side=side: fetch(side), 1))
            order.reverse()
    return found


class _Counter:
    """Counts a request's queries as they run: Django empties its own query log when a request starts."""

    def __init__(self, queries: list[str]) -> None:
        self.queries = queries

    def __call__(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(timings: dict[str, dict], *, args: argparse.Namespace, clients: int, sessions: int) -> None:
    (small_label, small), (big_label, big) = timings.items()
    floor_small, floor_big = small["floor"]["times"], big["floor"]["times"]
    print(
        f"\nhistory on {_common.backend()}: today {sessions:,} sessions; past {clients:,} → "
        f"{clients * args.growth:,} clients, {clients * BOOKINGS_PER_CLIENT:,} → "
        f"{clients * BOOKINGS_PER_CLIENT * args.growth:,} bookings ({args.repeat} requests a page)"
    )
    header = (
        f"  {'page':<16}{'queries':>9}{'median ' + small_label:>12}{'median ' + big_label:>13}"
        f"{'growth':>8}{'p95 ' + small_label:>10}{'p95 ' + big_label:>10}{'× floor':>9}"
    )
    print(header)
    figures, details = [], {"repeat": args.repeat, "growth": args.growth, "pages": {}}
    sizes = {
        past: f"{count:,} clients, {count * BOOKINGS_PER_CLIENT:,} past bookings"
        for past, count in ((small_label, clients), (big_label, clients * args.growth))
    }
    for label in small:
        before, after = small[label], big[label]
        median_before, median_after = statistics.median(before["times"]), statistics.median(after["times"])
        growth = median_after / median_before if median_before else 0
        ratio = median_after / statistics.median(floor_big)
        queries = (
            f"{before['queries']}→{after['queries']}"
            if before["queries"] != after["queries"]
            else str(after["queries"])
        )
        print(
            f"  {label:<16}{queries:>9}{median_before:>10.2f}ms{median_after:>11.2f}ms{growth:>7.2f}×"
            f"{p95(before['times']):>8.1f}ms{p95(after['times']):>8.1f}ms{ratio:>8.1f}×"
        )
        details["pages"][label] = {
            "queries": [before["queries"], after["queries"]],
            "bytes": [before["bytes"], after["bytes"]],
            "p95_ms": [round(p95(before["times"]), 2), round(p95(after["times"]), 2)],
            "growth": round(growth, 3),
        }
        if label == "floor":
            continue
        aim = f"≤ {GROWTH_AIM}× the {small_label} median" + (
            f", p95 < {P95_AIM_MS} ms" if label in DASHBOARD else ""
        )
        for past, times, floor in (
            (small_label, before["times"], floor_small),
            (big_label, after["times"], floor_big),
        ):
            figures.append(
                _common.figure(
                    f"{label}, {past} past",
                    times,
                    "ms",
                    floor=floor,
                    floor_label="a trivial view",
                    size=sizes[past],
                    aim=aim if past == big_label else "",
                )
            )
    misses = [
        label
        for label, page in details["pages"].items()
        if label != "floor"
        and (page["growth"] > GROWTH_AIM or (label in DASHBOARD and page["p95_ms"][1] >= P95_AIM_MS))
    ]
    print(f"  aims: growth ≤ {GROWTH_AIM}×, dashboard p95 at {big_label} < {P95_AIM_MS} ms")
    print(f"  missed by: {', '.join(misses) or 'none'}")
    details["missed"] = misses
    _common.record("history", figures, args=args, details=details)


def print_plans(site: dict) -> None:
    """How the database reads the dashboard lists (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)): the
    queries each list makes for its first page, caught as they run, then explained."""
    from django.core.paginator import Paginator
    from django.db import connection

    from bookings_app.selectors import bookings_list_page, clients_for_list, schedule
    from loyalty.selectors import (
        PointsReportFilters,
        points_report_page,
        points_report_totals,
        with_points_balance,
    )

    def bookings_list():
        list(bookings_list_page({}, tz=site["tz"], number=1, per_page=25))

    def clients_list():
        clients = with_points_balance(clients_for_list()).order_by("first_name", "last_name", "pk")
        list(Paginator(clients, 25).get_page(1))

    def points_report():
        totals = points_report_totals(PointsReportFilters())
        list(points_report_page(PointsReportFilters(), count=totals.entries))

    def calendar_week():
        days = schedule.week_of(site["today"])
        schedule.calendar_grid(days=days, staff=schedule.calendar_staff(), tz=site["tz"], by_staff=False)

    def dashboard_home():
        schedule.today_figures(tz=site["tz"], now=site["now"])
        schedule.weekly_figures(tz=site["tz"], now=site["now"])

    explain = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for label, read in (
        ("bookings list", bookings_list),
        ("clients list", clients_list),
        ("points report", points_report),
        ("calendar week", calendar_week),
        ("dashboard home", dashboard_home),
    ):
        caught: list[tuple[str, tuple]] = []
        with connection.execute_wrapper(_Catcher(caught)):
            read()
        for sql, params in caught:
            print(f"\n-- {label}: {sql[:160]}…")
            with connection.cursor() as cursor:
                cursor.execute(explain + sql, params)
                print("\n".join(" | ".join(str(cell) for cell in row) for row in cursor.fetchall()))


class _Catcher:
    def __init__(self, caught: list) -> None:
        self.caught = caught

    def __call__(self, execute, sql, params, many, context):
        self.caught.append((sql, params))
        return execute(sql, params, many, context)


if __name__ == "__main__":
    main()
