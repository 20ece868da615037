"""The points report and its exports on a million ledger entries: 20,000 clients × 50 entries.

    DEBUG=true .venv/bin/python bench/loyalty.py [--clients N] [--repeat 7] [--quick] [--scale 10]
    DEBUG=true DATABASE_URL=postgres://… .venv/bin/python bench/loyalty.py

A million entries on PostgreSQL (entries go in with COPY); 200,000 on SQLite by default,
where inserting row by row makes a million a long wait (``--clients 20000`` asks for it).

It never touches your database: on SQLite everything lives in a temporary directory; on
PostgreSQL Django's test-database machinery creates (and drops) a database of its own.

Each client's 50 entries hold two visits (earned, with a booking and its service), one gift
card bought with points (redeemed) and 47 changes by hand, in an order that keeps the
balance_after chain true, spread over two years. It prints:
- the first page (50 rows, with the paginator's count) of the points report, unfiltered and
  with each filter, median of ``--repeat`` runs after a warm-up;
- the CSV export of every entry, and the .xlsx export of the newest ``--xlsx-rows``, each in a
  fresh Python process so its peak RSS is the export's own: the kernel's high-water mark for
  the process image (VmHWM; ``ru_maxrss`` is printed too, but on Linux it starts from the
  parent's size at spawn). A second CSV run of ``--traced-rows`` under tracemalloc gives the
  Python heap's peak (tracing makes it several times slower, hence the sample);
- ``check_ledger()`` over the whole ledger.
Aim: first page under 200 ms, export memory under 150 MB.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time as clock
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import _common  # noqa: E402  (bench/ is this script's own folder on sys.path)
from _common import timed  # noqa: E402

ENTRIES_PER_CLIENT = 50
SERVICES = 10
SEATS = 40  # per class session: each client has two visits, so clients × 2 / SEATS sessions
BATCH = 5_000
START = datetime(2025, 1, 1, tzinfo=UTC)
CLIENTS = 20_000  # a million entries
SQLITE_CLIENTS = 4_000  # 200,000 entries: SQLite's row-by-row inserts make a million a long wait


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients",
        type=int,
        help="clients, 50 entries each (default 20000 on PostgreSQL, "
        f"{SQLITE_CLIENTS} on SQLite; times --scale, a tenth with --quick)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed page loads after a warm-up (default 7)")
    parser.add_argument(
        "--xlsx-rows",
        type=int,
        default=50_000,
        help="rows in the Excel export, 0 for all (default 50000: openpyxl without lxml "
        "writes a few thousand rows a second, so a million takes minutes)",
    )
    parser.add_argument(
        "--traced-rows",
        type=int,
        default=100_000,
        help="rows in the CSV export run under tracemalloc, 0 for all (default 100000)",
    )
    parser.add_argument("--child", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    _common.add_size_arguments(parser)
    args = parser.parse_args()
    if args.child:
        child_export(args.child, target=args.target, traced=args.traced, rows=args.rows)
        return

    with _common.bench_database("loyalty") as scratch:
        from django.db import connection

        if args.clients is None:
            base = CLIENTS if connection.vendor == "postgresql" else SQLITE_CLIENTS
            args.clients = _common.sized(base, args, least=100)
        if args.quick:
            args.xlsx_rows, args.traced_rows = min(args.xlsx_rows, 5_000), min(args.traced_rows, 10_000)
        report = run(args, scratch=scratch)
        print_report(report, args)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # DEBUG keeps every query's SQL in memory: a million rows' worth here


def run(args, *, scratch: Path) -> dict:
    from django.db import connection, transaction

    started = clock.perf_counter()
    with transaction.atomic():  # one commit: the set-up is not what this script measures
        build_ledger(args.clients)
    build_seconds = clock.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    report = {
        "db": connection.vendor,
        "entries": args.clients * ENTRIES_PER_CLIENT,
        "clients": args.clients,
        "build_s": round(build_seconds, 1),
        "repeat": args.repeat,
        "pages": time_first_pages(args.repeat),
        "plan": newest_first_plan(),
        "page_floor": timed(newest_rows, args.repeat + 1)[1:],
    }
    report["check_ledger_s"] = round(timed(lambda: check_ok(), 1)[0] / 1000, 2)
    report["read_all_s"] = round(timed(read_all_entries, 1)[0] / 1000, 2)
    connection.close()  # the children open their own connections
    exports = {
        "csv": run_child("csv", scratch, traced=False),
        "csv_traced": run_child("csv", scratch, traced=True, rows=args.traced_rows),
        "xlsx": run_child("xlsx", scratch, traced=False, rows=args.xlsx_rows),
    }
    report["exports"] = exports
    return report


def newest_rows() -> None:
    """The floor for a page: the 50 newest entries by primary key, no count, no joins."""
    from loyalty.models import LedgerEntry

    assert len(list(LedgerEntry.objects.order_by("-pk").values_list("pk", "points", "created_at")[:50])) == 50


def read_all_entries() -> None:
    """The floor for the export: every entry's columns streamed from the database, nothing written."""
    from loyalty.models import LedgerEntry

    for _row in (
        LedgerEntry.objects.order_by("-pk")
        .values_list("pk", "client_id", "points", "kind", "description", "balance_after", "created_at")
        .iterator(chunk_size=5_000)
    ):
        pass


def check_ok() -> None:
    from loyalty.ledger_check import check_ledger

    problems = check_ledger()
    assert problems == [], problems[:3]


def build_ledger(clients: int) -> None:
    """Business, services, sessions, bookings, gift cards, then entries and balances in batches."""
    from bookings_app.models import Business, Client, Service, ServiceKind, StaffMember
    from loyalty.balance_totals import recount_balance_totals
    from loyalty.models import Balance, GiftCardProduct, LedgerEntry, Program, ServicePoints

    Business.objects.update_or_create(pk=1, defaults={"time_zone": "Europe/Paris", "currency": "EUR"})
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    nina = StaffMember.objects.create(name="Nina")
    services = Service.objects.bulk_create(
        Service(kind=ServiceKind.CLASS, name=f"Class {n}", slug=f"class-{n}", capacity=SEATS)
        for n in range(SERVICES)
    )
    ServicePoints.objects.bulk_create(ServicePoints(service=service, points=10) for service in services)
    product = GiftCardProduct.objects.create(name="Voucher", value=10, validity_days=365, points_price=100)
    Client.objects.bulk_create(
        (
            Client(first_name=f"Client{n}", last_name="Bench", email=f"client{n}@bench.test")
            for n in range(clients)
        ),
        batch_size=BATCH,
    )
    client_ids = list(Client.objects.order_by("pk").values_list("pk", flat=True))
    visits = build_visits(client_ids, services, nina)
    cards = build_gift_cards(client_ids, product)
    balances = build_entries(client_ids, visits, cards)
    Balance.objects.bulk_create(
        (Balance(client_id=client_id, points=points) for client_id, points in balances.items()),
        batch_size=BATCH,
    )
    recount_balance_totals(Balance, LedgerEntry)  # as post_entry keeps them


def build_visits(client_ids: list[int], services: list, staff) -> dict[int, list[tuple[int, int]]]:
    """Two past class visits per client: {client_id: [(booking_id, service_id), …]}."""
    from bookings_app.models import Booking, Session

    session_count = len(client_ids) * 2 // SEATS
    sessions = Session.objects.bulk_create(
        (
            Session(
                service=services[n % SERVICES],
                staff=staff,
                start=START + timedelta(hours=2 * n),
                end=START + timedelta(hours=2 * n + 1),
                blocked_start=START + timedelta(hours=2 * n),
                blocked_end=START + timedelta(hours=2 * n + 1),
                capacity=SEATS,
                seats_taken=SEATS,
            )
            for n in range(session_count)
        ),
        batch_size=BATCH,
    )
    half = session_count // 2
    rows = [
        (client_id, sessions[(i + offset) % session_count])
        for offset in (0, half)
        for i, client_id in enumerate(client_ids)
    ]
    bookings = Booking.objects.bulk_create(
        (
            Booking(code=f"B{n:09d}", client_id=client_id, service_id=session.service_id, session=session)
            for n, (client_id, session) in enumerate(rows)
        ),
        batch_size=BATCH,
    )
    visits: dict[int, list[tuple[int, int]]] = {}
    for booking in bookings:
        visits.setdefault(booking.client_id, []).append((booking.pk, booking.service_id))
    return visits


def build_gift_cards(client_ids: list[int], product) -> dict[int, int]:
    """One card per client, bought with points: {client_id: gift_card_id}."""
    from loyalty.codes import new_code
    from loyalty.models import GiftCard

    cards = GiftCard.objects.bulk_create(
        (
            GiftCard(
                code=new_code(),
                product=product,
                initial_value=10,
                remaining_value=10,
                currency="EUR",
                expires_at=START + timedelta(days=800),
                owner_id=client_id,
            )
            for client_id in client_ids
        ),
        batch_size=BATCH,
    )
    return {card.owner_id: card.pk for card in cards}


def build_entries(client_ids: list[int], visits: dict, cards: dict[int, int]) -> dict[int, int]:
    """50 entries per client, one round (every client's n-th entry) per batch; returns the balances.

    Rounds keep ids in each client's order (the chain check walks ids); created_at grows
    with the id, one minute per entry, about two years in all. The rows go in with
    ``executemany``: bulk_create builds a model instance per row, which would make the
    set-up, not the report, the slow part of this script.
    """
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    balances = dict.fromkeys(client_ids, 0)
    step = 0
    for round_number in range(ENTRIES_PER_CLIENT):
        with connection.cursor() as cursor:
            rows = []
            for client_id in client_ids:
                points, kind, extra = entry_plan(round_number, client_id, visits, cards)
                balances[client_id] += points
                rows.append(
                    (
                        client_id,
                        points,
                        kind,
                        f"{kind} #{round_number}",
                        extra.get("booking_id"),
                        extra.get("service_id"),
                        extra.get("gift_card_id"),
                        balances[client_id],
                        adapt(START + timedelta(minutes=step)),
                        "{}",  # the reason (JSON): the description stands in for it here
                    )
                )
                step += 1
            insert_entries(cursor, rows, postgres=connection.vendor == "postgresql")
    return balances


def insert_entries(cursor, rows: list[tuple], *, postgres: bool) -> None:
    if postgres:  # COPY: executemany there is a round trip a row
        with cursor.cursor.copy(f"COPY loyalty_ledgerentry ({ENTRY_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(INSERT_ENTRY, rows)


ENTRY_COLUMNS = (
    "client_id, points, kind, description, booking_id, service_id, gift_card_id, balance_after, created_at,"
    " reason"
)
INSERT_ENTRY = f"INSERT INTO loyalty_ledgerentry ({ENTRY_COLUMNS}) VALUES ({', '.join(['%s'] * 10)})"


def entry_plan(
    round_number: int, client_id: int, visits: dict, cards: dict[int, int]
) -> tuple[int, str, dict]:
    """(points, kind, foreign keys) of a client's n-th entry: a bonus, two visits, a card, then ±."""
    if round_number == 0:
        return 500, "manual", {}
    if round_number in (1, 3):
        booking_id, service_id = visits[client_id][round_number // 2]
        return 10, "earned", {"booking_id": booking_id, "service_id": service_id}
    if round_number == 2:
        return -100, "redeemed", {"gift_card_id": cards[client_id]}
    return (20, "manual", {}) if round_number % 2 else (-15, "manual", {})


def time_first_pages(repeat: int) -> dict[str, list[float]]:
    """Milliseconds to load page 1 (count + 50 rows with their joins) for each kind of filter."""
    from bookings_app.models import Client, Service
    from loyalty.selectors import PointsReportFilters, points_report_page

    clients = Client.objects.count()
    some_client = Client.objects.order_by("pk").values_list("pk", flat=True)[clients // 2]
    some_service = Service.objects.order_by("pk").values_list("pk", flat=True).first()
    middle = (START + timedelta(minutes=clients * ENTRIES_PER_CLIENT // 2)).date()  # one minute per entry
    cases = {
        "unfiltered": PointsReportFilters(),
        "one client": PointsReportFilters(client_id=some_client),
        "kind=redeemed": PointsReportFilters(kind="redeemed"),
        "one service": PointsReportFilters(service_id=some_service),
        "one month": PointsReportFilters(date_from=middle, date_to=middle + timedelta(days=30)),
        "month+manual": PointsReportFilters(
            date_from=middle, date_to=middle + timedelta(days=30), kind="manual"
        ),
    }

    def load(filters) -> None:
        page = points_report_page(filters)
        rows = list(page.object_list)
        assert rows and all(row.client.first_name for row in rows)

    # One warm-up run per case, left out of the figures.
    return {label: timed(lambda f=filters: load(f), repeat + 1)[1:] for label, filters in cases.items()}


def newest_first_plan() -> str:
    """How the database reads the ledger for the unfiltered first page (the index it walks)."""
    from loyalty.selectors import PointsReportFilters, points_report

    plan = points_report(PointsReportFilters())[:50].explain().splitlines()
    scans = [line.strip() for line in plan if "loyalty_ledgerentry" in line and "scan" in line.lower()]
    return " | ".join(scans)


def run_child(kind: str, scratch: Path, *, traced: bool, rows: int = 0) -> dict:
    """Run one export in a fresh process (its peak RSS is its own) and read its JSON line."""
    from django.db import connection

    target = scratch / f"points.{kind}"
    env = {**os.environ, "DATABASE_URL": test_database_url(connection), "DEBUG": "true"}
    command = [sys.executable, __file__, "--child", kind, "--target", str(target), "--rows", str(rows)]
    command += ["--traced"] if traced else []
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    target.unlink(missing_ok=True)
    return result


def test_database_url(connection) -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
        f"{settings_dict['NAME']}"
    )


def child_export(kind: str, *, target: str, traced: bool, rows: int) -> None:
    """In the child: export every entry (or the newest ``rows``) to ``target``; print figures as JSON."""
    setup_django()
    from loyalty.exports import csv_chunks, write_xlsx
    from loyalty.selectors import PointsReportFilters, points_report

    baseline_mb = peak_rss_mb()
    if traced:
        tracemalloc.start()
    started = clock.perf_counter()
    entries = points_report(PointsReportFilters())
    if rows:
        entries = entries[:rows]
    if kind == "csv":
        with open(target, "w", encoding="utf-8", newline="") as out:
            for chunk in csv_chunks(entries):
                out.write(chunk)
    else:
        write_xlsx(entries, target)
    seconds = clock.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else None
    print(
        json.dumps(
            {
                "rows": rows or "all",
                "seconds": round(seconds, 1),
                "bytes": os.path.getsize(target),
                "peak_rss_mb": peak_rss_mb(),
                "baseline_rss_mb": baseline_mb,
                "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "tracemalloc_peak_mb": round(traced_peak / 2**20, 1) if traced_peak is not None else None,
            }
        )
    )


def peak_rss_mb() -> float:
    """This process image's peak resident memory (VmHWM), else ``ru_maxrss`` where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(kilobytes / 1024, 1)


def print_report(report: dict, args: argparse.Namespace) -> None:
    pages, exports = report.pop("pages"), report.pop("exports")
    page_floor = report.pop("page_floor")
    print(
        f"loyalty on {report['db']}: {report['entries']:,} ledger entries, {report['clients']:,} clients "
        f"(built in {report['build_s']} s)"
    )
    print(f"  points report, first page of 50 (count + rows), median of {report['repeat']} after a warm-up:")
    print(f"    {'':<16}{'median':>10}{'min':>10}{'max':>10}")
    for label, times in pages.items():
        figures = (statistics.median(times), min(times), max(times))
        print(f"    {label:<16}" + "".join(f"{value:>8.1f}ms" for value in figures))
    print(f"    plan (unfiltered): {report['plan']}")
    for label, figures in exports.items():
        peak = figures["tracemalloc_peak_mb"]
        traced = f", tracemalloc peak {peak} MB" if peak else ""
        print(
            f"  export {label:<11} {figures['rows']!s:>7} rows {figures['seconds']:>6} s, "
            f"{figures['bytes'] / 2**20:.0f} MB written, "
            f"peak RSS {figures['peak_rss_mb']} MB (Django loaded: {figures['baseline_rss_mb']} MB; "
            f"ru_maxrss {figures['ru_maxrss_mb']} MB){traced}"
        )
    print(f"  check_ledger over everything: {report['check_ledger_s']} s")
    print("  aim: first page under 200 ms, export memory under 150 MB")
    print(
        f"  floors: 50 newest rows by pk {statistics.median(page_floor):.1f} ms; "
        f"streaming every entry {report['read_all_s']} s"
    )
    _common.record(
        "loyalty",
        summary_figures(report, pages, page_floor, exports),
        args=args,
        details={
            **report,
            "exports": exports,
            "pages_median_ms": {label: round(statistics.median(times), 1) for label, times in pages.items()},
        },
    )


def summary_figures(report: dict, pages: dict, page_floor: list[float], exports: dict) -> list[dict]:
    size = f"{report['entries']:,} entries"
    filtered = [label for label in pages if label != "unfiltered"]
    slowest = max(filtered, key=lambda label: statistics.median(pages[label]))
    csv_, xlsx = exports["csv"], exports["xlsx"]
    return [
        _common.figure(
            "report, first page",
            pages["unfiltered"],
            "ms",
            floor=page_floor,
            floor_label="50 newest rows by pk",
            size=size,
            aim="< 200 ms",
        ),
        _common.figure(
            f"report, first page, slowest filter ({slowest})",
            pages[slowest],
            "ms",
            floor=page_floor,
            floor_label="50 newest rows by pk",
            size=size,
            aim="< 200 ms",
        ),
        _common.figure(
            "CSV export, all rows",
            [csv_["seconds"]],
            "s",
            floor=report["read_all_s"],
            floor_label="streaming the rows",
            size=size,
        ),
        _common.figure(
            "CSV export, peak memory",
            [csv_["peak_rss_mb"]],
            "MB",
            floor=csv_["baseline_rss_mb"],
            floor_label="Django loaded",
            size=size,
            aim="< 150 MB",
        ),
        _common.figure(
            f"Excel export, {xlsx['rows']:,} rows",
            [xlsx["seconds"]],
            "s",
            floor=report["read_all_s"] * xlsx_share(xlsx, report),
            floor_label="streaming those rows",
            size=size,
        ),
        _common.figure(
            "Excel export, peak memory",
            [xlsx["peak_rss_mb"]],
            "MB",
            floor=xlsx["baseline_rss_mb"],
            floor_label="Django loaded",
            size=size,
            aim="< 150 MB",
        ),
    ]


def xlsx_share(xlsx: dict, report: dict) -> float:
    rows = xlsx["rows"] if isinstance(xlsx["rows"], int) else report["entries"]
    return min(rows, report["entries"]) / report["entries"]


if __name__ == "__main__":
    main()
