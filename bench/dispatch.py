"""The dispatcher's due-run query on a big run log: its time and its plan (it must use run_due_idx).

    DEBUG=true .venv/bin/python bench/dispatch.py [--repeat 15] [--quick] [--scale 10]
    DEBUG=true DATABASE_URL=postgres://… .venv/bin/python bench/dispatch.py

Beat asks every 5 s for the scheduled runs that are due (``automations.scheduling``). The
run log only grows, so that query must read the partial index ``run_due_idx`` (scheduled
runs by ``due_at``), never the log. This script writes 100,000 runs of one automation —
99 % finished, 0.5 % scheduled and due, 0.5 % scheduled for later — analyses the tables,
then times the dispatcher's query (the first 500 due, locked with SKIP LOCKED, in a
transaction) beside a primary-key lookup of one run (the floor), and prints the database's
plan for it (EXPLAIN on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
"""

import argparse
import sys
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import _common  # noqa: E402

RUNS = 100_000
BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed queries after a warm-up (default 15)")
    _common.add_size_arguments(parser)
    args = parser.parse_args()
    runs = _common.sized(RUNS, args, least=1_000)
    with _common.bench_database("dispatch"):
        build_runs(runs)
        due_query, floor_query = queries()
        due_query()  # warm-up
        floor_query()
        due_times = _common.timed(due_query, args.repeat)
        floor_times = _common.timed(floor_query, args.repeat)
        plan = due_plan()
        uses_index = "run_due_idx" in plan
        handed = len(due_query())
        print(f"dispatch on {_common.backend()}: {runs:,} runs, {handed:,} due handed over per call")
        print(f"  due-run query   {_common.spread(due_times)['median']:>8.2f} ms (median of {args.repeat})")
        print(f"  pk lookup floor {_common.spread(floor_times)['median']:>8.2f} ms")
        print(f"  plan ({'uses' if uses_index else 'DOES NOT USE'} run_due_idx):")
        print("    " + plan.replace("\n", "\n    "))
        _common.record(
            "dispatch",
            [
                _common.figure(
                    "due-run query (first 500 due)",
                    due_times,
                    "ms",
                    floor=floor_times,
                    floor_label="one run by primary key",
                    size=f"{runs:,} runs",
                    aim="uses run_due_idx",
                )
            ],
            args=args,
            details={"runs": runs, "uses_run_due_idx": uses_index, "plan": plan},
        )
    if not uses_index:
        sys.exit("the due-run query does not use run_due_idx")


def build_runs(count: int) -> None:
    """One automation and ``count`` runs; ids, due times and statuses as a long-lived log has them."""
    from django.db import connection
    from django.utils import timezone

    from automations.models import Run, RunStatus
    from automations.services import create_automation

    automation = create_automation(
        name="Welcome",
        trigger="client_books",
        actions=[{"kind": "email_client", "settings": {"subject": "Welcome", "body": "Thank you."}}],
    )
    now = timezone.now()
    first = now - timedelta(days=365)
    step = timedelta(days=365) / count

    def run(n: int) -> Run:
        due = first + n * step
        if n % 200 == 0:
            return Run(automation=automation, key=f"bench:{n}", due_at=due)  # scheduled, due
        if n % 200 == 1:
            return Run(automation=automation, key=f"bench:{n}", due_at=now + timedelta(days=1) + n * step)
        return Run(
            automation=automation,
            key=f"bench:{n}",
            due_at=due,
            status=RunStatus.DONE,
            finished_at=due + timedelta(seconds=1),
        )

    for start in range(0, count, BATCH):
        Run.objects.bulk_create(run(n) for n in range(start, min(start + BATCH, count)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def due_runs(now):
    """The dispatcher's query for due runs, as ``automations.scheduling.dispatch_due_runs`` asks it."""
    from django.db.models import Q

    from automations.models import Run, RunStatus
    from automations.scheduling import DISPATCH_BATCH, REDISPATCH_AFTER

    not_on_its_way = Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - REDISPATCH_AFTER)
    return (
        Run.objects.filter(not_on_its_way, status=RunStatus.SCHEDULED, due_at__lte=now)
        .order_by("due_at")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )


def queries():
    from django.db import transaction
    from django.utils import timezone

    from automations.models import Run

    some_run = Run.objects.order_by("pk").values_list("pk", flat=True)[Run.objects.count() // 2]

    def due_query() -> list[int]:
        with transaction.atomic():
            return list(due_runs(timezone.now()))

    def floor_query() -> list[int]:
        return list(Run.objects.filter(pk=some_run).values_list("pk", flat=True))

    return due_query, floor_query


def due_plan() -> str:
    from django.db import connection, transaction
    from django.utils import timezone

    with transaction.atomic():
        if connection.vendor == "postgresql":
            return due_runs(timezone.now()).explain(analyze=True, buffers=True)
        return due_runs(timezone.now()).explain()


if __name__ == "__main__":
    main()
