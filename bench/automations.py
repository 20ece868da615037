"""How fast automation runs go through real Celery workers, on PostgreSQL and Redis.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/automations.py [--quick] [--scale 10]

It never touches your database or your queues: Django's test-database machinery creates
(and drops) a database of its own, and every message goes to a queue named for this run,
which two worker processes of its own consume (``--concurrency 1`` each: one per core).
E-mail goes to Django's null backend: nothing leaves the machine. Three measurements:

1. floor: 5,000 no-op tasks (Celery's built-in ``celery.accumulate``) through the same
   broker and workers: the most tasks per second this machine can pass at all;
2. burst: 10,000 "client books" events handed to the workers at once, as 10,000 bookings
   would, for an automation that e-mails the client at once. Each event is handed over as a
   booking's commit hands it: one ``process_event`` task, until the workers fall behind and
   drain the backlog in batches (then new events need no task of their own). A run makes
   and performs its e-mail: it is stored and
   handed to the booking app's ``send_email`` task (``send_emails`` for the e-mails of a
   batch of runs). Runs executed per second. Sending the e-mails is the booking app's
   work: those tasks go to a mail queue of their own that no worker takes during the
   bench (its length is reported, then it is deleted);
3. paced: events at half the burst rate for 20 s, with the dispatcher running every 5 s
   as beat would: lateness = ``finished_at - due_at`` (median, p95) when the workers keep up.

It prints a table and one JSON line. Aim (issue #23): runs/s at least two thirds of the no-op
rate, and p95 lateness under half a second.
"""

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import _common  # noqa: E402  (bench/ is this script's own folder on sys.path)

BURST = 10_000
NOOPS = 5_000
PACED_SECONDS = 20
WORKERS = 2
TIMEOUT = 150  # seconds a phase may take; then what is left is purged and the figures are partial


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", metavar="QUEUE", help=argparse.SUPPRESS)  # a worker process of the bench
    _common.add_size_arguments(parser)
    args = parser.parse_args()
    resize(args)
    if not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")):
        sys.exit(
            "bench/automations.py needs PostgreSQL and Redis: "
            "set DATABASE_URL=postgres://… and REDIS_URL=redis://…"
        )
    os.environ.update(
        DEBUG="false",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost",
        EMAIL_URL="dummymail://",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.worker:
        run_worker(args.worker)
        return
    os.environ["BENCH_SECRET_KEY"] = os.environ["SECRET_KEY"]
    with tempfile.TemporaryDirectory(prefix="rendez-bench-") as scratch:
        os.environ["RENDEZ_VAR_DIR"] = scratch
        report = bench()
    print_report(report)
    record(report, args)


def run_worker(queue: str) -> None:
    """One worker process; everything it queues (e-mails, runs) stays on the bench's queue."""
    from config.celery import app

    app.conf.task_default_queue = queue
    mail = {"queue": f"{queue}-mail"}
    app.conf.task_routes = {"bookings_app.tasks.send_email": mail, "bookings_app.tasks.send_emails": mail}
    app.worker_main(
        [
            "worker",
            "--queues",
            queue,
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--hostname",
            f"{queue}-{os.getpid()}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ]
    )


def bench() -> dict:
    import django

    django.setup()
    from django.db import connection

    from config.celery import app

    queue = f"bench-automations-{os.getpid()}"
    app.conf.task_default_queue = queue
    connection.settings_dict["TEST"]["NAME"] = f"rendez_bench_automations_{os.getpid()}"
    original_name = connection.settings_dict["NAME"]  # create_test_db returns the test name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    workers = []
    try:
        prepare()
        workers = start_workers(queue)
        report = {"floor": progress("floor", floor(app, queue))}
        report["noop_round_trip"] = progress("no-op round trip", noop_round_trip(app, queue))
        report["burst"] = progress("burst", burst(app, queue))
        report["paced"] = progress("paced", paced(rate=max(report["burst"]["runs_per_s"] / 2, 1)))
        return report
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
        print(f"e-mail tasks left queued (then dropped): {drop_queues(app, queue)}", file=sys.stderr)
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0)


def drop_queues(app, queue: str) -> int:
    """Delete the bench's queues and their bindings from Redis; returns how many e-mails were
    tasks were waiting on the mail queue."""
    names = (queue, f"{queue}-mail")
    with app.connection_for_write() as broker:
        redis = broker.default_channel.client
        waiting = redis.llen(names[1])
        redis.delete(*names)
        for bindings in redis.scan_iter("_kombu.binding.*"):
            for member in redis.smembers(bindings):
                if member.decode().rpartition("\x06\x16")[2] in names:
                    redis.srem(bindings, member)
    return waiting


def progress(phase: str, figures: dict) -> dict:
    print(f"{phase}: {figures}", file=sys.stderr, flush=True)
    return figures


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def prepare() -> None:
    """The business and one automation: "client books" → e-mail the client at once."""
    from automations.services import create_automation
    from bookings_app.models import Business

    Business.objects.update_or_create(pk=1, defaults={"name": "Bench Studio"})
    create_automation(
        name="Welcome",
        trigger="client_books",
        actions=[
            {
                "kind": "email_client",
                "settings": {
                    "subject": "Welcome, {client_first_name}",
                    "body": "Thank you for booking with {business_name}.",
                },
            }
        ],
    )


def start_workers(queue: str) -> list[subprocess.Popen]:
    from config.celery import app

    env = {**os.environ, "DATABASE_URL": database_url()}
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", queue],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(WORKERS)
    ]
    deadline = time.monotonic() + 60
    while len(app.control.ping(timeout=0.5, destination=None) or []) < WORKERS:
        if time.monotonic() > deadline:
            raise RuntimeError("the bench workers did not start")
    return workers


def floor(app, queue: str) -> dict:
    """No-op tasks through the same broker and workers; a last one with a result says when all ran."""
    started = time.perf_counter()
    with app.producer_or_acquire() as producer:
        for n in range(NOOPS - 1):
            app.send_task("celery.accumulate", args=[n], queue=queue, producer=producer)
    app.send_task("celery.accumulate", args=["last"], queue=queue, ignore_result=False).get(timeout=TIMEOUT)
    seconds = time.perf_counter() - started
    return {"tasks": NOOPS, "seconds": round(seconds, 2), "tasks_per_s": round(NOOPS / seconds, 1)}


def burst(app, queue: str) -> dict:
    """``BURST`` events recorded together, each handed to the workers as its booking would."""
    from django.utils import timezone

    from bookings_app.core.events import hand_over_event  # as a booking's commit hands it over

    event_ids = record_events(BURST, prefix="burst")
    started = timezone.now()
    consumer = automations_consumer()
    for event_id in event_ids:
        hand_over_event(consumer, event_id)
    figures = measure(event_ids, started=started)
    if figures["runs_done"] < len(event_ids):  # out of time: the paced phase needs an empty queue
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
    return figures


def paced(*, rate: float) -> dict:
    """Events at ``rate`` a second for ``PACED_SECONDS``, as bookings arriving one by one."""
    from django.utils import timezone

    from bookings_app.core.events import hand_over_event

    count = int(rate * PACED_SECONDS)
    consumer = automations_consumer()
    event_ids, started = [], timezone.now()
    first = time.perf_counter()
    for n in range(count):
        time.sleep(max(0.0, first + n / rate - time.perf_counter()))
        [event_id] = record_events(1, prefix=f"paced{n}")
        event_ids.append(event_id)
        hand_over_event(consumer, event_id)
    return {**measure(event_ids, started=started), "offered_per_s": round(rate, 1)}


def automations_consumer():
    """The automations' registration as an outbox consumer: what a booking's commit hands to."""
    from bookings_app.models import EventKind
    from bookings_app.plug_ins.event_kinds import consumers_of

    [consumer] = [c for c in consumers_of(EventKind.BOOKING_CREATED) if c.name == "automations"]
    return consumer


def record_events(count: int, *, prefix: str) -> list[int]:
    """``count`` new clients who booked: their "booking created" events, not yet processed."""
    from django.utils import timezone

    from bookings_app.models import Client, DomainEvent, EventDelivery, EventKind

    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {n}", email=f"{prefix}-{n}@bench.test") for n in range(count)
    )
    now = timezone.now()
    events = DomainEvent.objects.bulk_create(
        DomainEvent(kind=EventKind.BOOKING_CREATED, occurred_at=now, client=client) for client in clients
    )
    EventDelivery.objects.bulk_create(EventDelivery(consumer="automations", event=event) for event in events)
    return [event.pk for event in events]


def measure(event_ids: list[int], *, started) -> dict:
    """Wait (dispatching every 5 s, as beat) until every run of these events is done; the figures."""
    from django.db.models import Count

    from automations.models import Run, RunStatus
    from automations.scheduling import dispatch_due_runs

    runs = Run.objects.filter(event_id__gte=min(event_ids), event_id__lte=max(event_ids))  # ids made together
    stop = threading.Event()

    def beat() -> None:
        from django.db import connection

        while not stop.wait(5):
            dispatch_due_runs()
        connection.close()

    beat_thread = threading.Thread(target=beat)
    beat_thread.start()
    deadline = time.monotonic() + TIMEOUT
    try:
        while runs.filter(status=RunStatus.DONE).count() < len(event_ids) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stop.set()
        beat_thread.join()
    finished = list(runs.filter(status=RunStatus.DONE).values_list("due_at", "finished_at"))
    if not finished:
        raise RuntimeError(
            f"no run was done within {TIMEOUT} s; runs by status: "
            f"{dict(runs.values_list('status').annotate(n=Count('pk')))}"
        )
    lateness = sorted((end - due).total_seconds() for due, end in finished)
    seconds = (max(end for _due, end in finished) - started).total_seconds()
    return {
        "events": len(event_ids),
        "runs_done": len(finished),
        "seconds": round(seconds, 2),
        "runs_per_s": round(len(finished) / seconds, 1),
        "lateness_median_s": round(statistics.median(lateness), 3),
        "lateness_p95_s": round(statistics.quantiles(lateness, n=20)[-1], 3),
    }


def print_report(report: dict) -> None:
    noop, burst_, paced_ = report["floor"], report["burst"], report["paced"]
    print(f"automations on PostgreSQL + Redis, {WORKERS} worker processes (1 each)")
    print(f"  {'':<34}{'count':>8}{'seconds':>10}{'per s':>10}{'late p50':>10}{'late p95':>10}")
    print(f"  {'no-op task (floor)':<34}{noop['tasks']:>8}{noop['seconds']:>10}{noop['tasks_per_s']:>10}")
    for label, figures in (("burst: event → run → e-mail", burst_), ("paced at half the burst rate", paced_)):
        print(
            f"  {label:<34}{figures['runs_done']:>8}{figures['seconds']:>10}{figures['runs_per_s']:>10}"
            f"{figures['lateness_median_s']:>9}s{figures['lateness_p95_s']:>9}s"
        )
    ratio = burst_["runs_per_s"] / noop["tasks_per_s"]
    print(
        f"  runs/s ÷ no-op tasks/s: {ratio:.2f} (aim ≥ 0.66); paced p95 lateness "
        f"{paced_['lateness_p95_s']} s (aim < 0.5 s)"
    )
    print(
        json.dumps(
            {
                "bench": "automations",
                "workers": WORKERS,
                "floor": noop,
                "burst": burst_,
                "paced": paced_,
                "ratio": round(ratio, 3),
                "date": date.today().isoformat(),
            }
        )
    )


def noop_round_trip(app, queue: str, count: int = 30) -> dict:
    """The lateness floor: one no-op task at a time, from sending to its result, on idle workers."""
    seconds = []
    for n in range(count):
        started = time.perf_counter()
        app.send_task("celery.accumulate", args=[n], queue=queue, ignore_result=False).get(timeout=TIMEOUT)
        seconds.append(time.perf_counter() - started)
    return {
        "tasks": count,
        "median_s": round(statistics.median(seconds), 4),
        "p95_s": round(statistics.quantiles(seconds, n=20)[-1], 4),
    }


def resize(args: argparse.Namespace) -> None:
    """``--quick`` and ``--scale``: events, no-op tasks and the time allowed grow together."""
    global BURST, NOOPS, PACED_SECONDS, TIMEOUT
    factor = _common.size_factor(args)
    BURST, NOOPS = _common.sized(BURST, args, least=100), _common.sized(NOOPS, args, least=100)
    PACED_SECONDS = 5 if args.quick else PACED_SECONDS
    TIMEOUT = round(TIMEOUT * max(1.0, factor))


def record(report: dict, args: argparse.Namespace) -> None:
    """The summary rows and the JSON line in the results file (bench/_common.py)."""
    import django

    django.setup()
    noop, burst_, paced_ = report["floor"], report["burst"], report["paced"]
    size = f"{burst_['events']:,} events, {WORKERS} workers"
    _common.record(
        "automations",
        [
            _common.figure(
                "burst: runs/s",
                [burst_["runs_per_s"]],
                "runs/s",
                floor=noop["tasks_per_s"],
                floor_label="no-op tasks/s",
                size=size,
                aim="≥ 0.66× floor",
            ),
            _common.figure(
                "paced: lateness p95",
                [paced_["lateness_p95_s"]],
                "s",
                floor=report["noop_round_trip"]["p95_s"],
                floor_label="a no-op task's round trip, p95",
                size=size,
                aim="< 0.5 s",
            ),
        ],
        args=args,
        details=report,
    )


if __name__ == "__main__":
    main()
