"""Real Celery workers execute due runs; one killed with SIGKILL mid-batch loses nothing and
sends nothing twice once a fresh worker takes over."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta

import pytest
from django.db.models import F

from automations import tasks
from automations.engine import process_event
from automations.execution import CLAIM_TIMEOUT
from automations.models import ActionOutcome, Run, RunStatus
from automations.scheduling import REDISPATCH_AFTER, dispatch_due_runs
from bookings_app.core.events import record_event
from bookings_app.models import Client, EventKind, OutgoingEmail, WorkerHeartbeat
from tests.support import workers
from tests.support.workers import wait_until

from .builders import automation

# ``celery -A config worker`` whose own hand-overs (the e-mails it stores) stay on its queue too,
# so nothing is left on the default queue for workers outside the test.
WORKER = """
import os, sys
from config.celery import app
queue, concurrency = sys.argv[1], sys.argv[2]
app.conf.task_default_queue = queue
app.worker_main(["worker", "--queues", queue, "--concurrency", concurrency, "--pool", "prefork",
                 "--hostname", f"{queue}-{os.getpid()}@%h", "--without-heartbeat", "--without-mingle",
                 "--without-gossip", "--loglevel", "WARNING"])
"""


@contextmanager
def worker_process(queue: str, *, concurrency: int = 1) -> Iterator[subprocess.Popen]:
    """A worker on ``queue`` in its own process group; stopped (or already killed) after."""
    env = {**os.environ, "DATABASE_URL": workers.test_database_url(), "DEBUG": "true"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, queue, str(concurrency)],
        cwd=workers.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def queue(to_the_broker) -> str:
    """A queue of the test's own: the engine's hand-overs of runs go there."""
    name = f"test-auto-{uuid.uuid4().hex[:10]}"
    to_the_broker(tasks.execute_runs.name, queue=name)
    return name


def due_runs(count: int) -> list[int]:
    """``count`` clients booked; the welcome automation's runs are made and handed over at once."""
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {n}", email=f"client{n}@load.test") for n in range(count)
    )
    event_ids = [record_event(EventKind.BOOKING_CREATED, client=client).pk for client in clients]
    for event_id in event_ids:
        process_event(event_id=event_id)
    return list(Run.objects.values_list("pk", flat=True))


def done() -> int:
    return Run.objects.filter(status=RunStatus.DONE).count()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_executes_due_runs_end_to_end(studio, queue):
    automation("client_books")
    with worker_process(queue):
        due_runs(5)
        assert wait_until(lambda: done() == 5, timeout=60)
        # The process that claimed them keeps its heartbeat, so the sweeps would see it die.
        [claimed_by] = set(Run.objects.values_list("claimed_by", flat=True))
        assert claimed_by and WorkerHeartbeat.objects.filter(worker=claimed_by).exists()
    assert OutgoingEmail.objects.filter(kind="automation").count() == 5
    assert not WorkerHeartbeat.objects.filter(
        worker=claimed_by
    ).exists()  # stopped on purpose: its name is free


@pytest.mark.postgres
@pytest.mark.timeout(90)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_every_run_done_and_every_email_sent_once(studio, queue):
    automation("client_books")
    started = time.monotonic()
    with worker_process(queue, concurrency=2) as doomed:
        due_runs(200)
        assert wait_until(lambda: done() >= 20, timeout=30, interval=0.01)
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
    done_when_killed = done()
    assert 0 < done_when_killed < 200

    # As if the claim timeout had passed: the dead worker's claims and messages count as lost.
    Run.objects.filter(status=RunStatus.RUNNING).update(claimed_at=F("claimed_at") - CLAIM_TIMEOUT)
    Run.objects.update(dispatched_at=F("dispatched_at") - REDISPATCH_AFTER - timedelta(seconds=1))
    with worker_process(queue, concurrency=2):

        def all_done() -> bool:
            dispatch_due_runs()  # as beat would, every few seconds
            return done() == 200

        assert wait_until(all_done, timeout=40, interval=0.5)

    emails = OutgoingEmail.objects.filter(kind="automation")
    assert emails.count() == 200
    assert emails.values("client").distinct().count() == 200
    assert ActionOutcome.objects.filter(status="done").count() == 200
    assert time.monotonic() - started < 60


@pytest.mark.postgres
@pytest.mark.timeout(90)
@pytest.mark.django_db(transaction=True)
def test_a_burst_through_two_real_workers_makes_each_run_once(studio, to_the_broker):
    """Each event's task races the batches other workers take along (the backlog, locked with
    skip_locked): every event is processed once, every client e-mailed once."""
    queue = f"test-burst-{uuid.uuid4().hex[:10]}"
    to_the_broker(tasks.process_event.name, queue=queue)
    automation("client_books")
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {n}", email=f"client{n}@burst.test") for n in range(300)
    )
    with worker_process(queue), worker_process(queue, concurrency=2):
        for client in clients:  # each booking's event handed to the workers as it commits
            record_event(EventKind.BOOKING_CREATED, client=client)
        assert wait_until(lambda: done() == 300, timeout=60)

    assert Run.objects.count() == 300
    emails = OutgoingEmail.objects.filter(kind="automation")
    assert emails.count() == emails.values("client").distinct().count() == 300
    assert Run.objects.filter(event__deliveries__processed_at__isnull=True).count() == 0
