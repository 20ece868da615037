"""Celery tasks of automations: thin, called with ids, safe to run twice, acknowledged late."""

import time

from celery import shared_task

from . import engine, execution, scheduling

DISPATCH_BUDGET_SECONDS = 4.0  # beat sends the next dispatch after 5 s


@shared_task(acks_late=True)
def process_event(event_id: int) -> int:
    """Queued after an event commits: make its runs (a second delivery makes none) and
    perform those due at once; in a burst, other waiting events are taken along."""
    return engine.process_event(event_id=event_id, execute_due_now=True, batch=engine.EVENT_BATCH)


@shared_task(acks_late=True)
def drain_events() -> int:
    """A drain that ran out of time goes on here: the waiting events, a batch at a time."""
    return engine.drain_events()


@shared_task(acks_late=True)
def process_pending_events() -> int:
    """Every 30 s (beat): process events whose task was lost."""
    return scheduling.process_pending_events()


@shared_task(acks_late=True)
def dispatch_due_runs() -> int:
    """Every 5 s (beat): queue the due runs, batch after batch while the batches are full."""
    deadline, dispatched = time.monotonic() + DISPATCH_BUDGET_SECONDS, 0
    while True:
        batch = scheduling.dispatch_due_runs()
        dispatched += batch
        if batch < scheduling.DISPATCH_BATCH or time.monotonic() > deadline:
            return dispatched


@shared_task(acks_late=True)
def execute_runs(run_ids: list[int]) -> int:
    """Perform a batch of due runs; each run's claim makes a duplicate a no-op. Returns how
    many this worker performed."""
    return len(execution.execute_runs(run_ids=run_ids))


@shared_task(acks_late=True)
def execute_run(run_id: int) -> str:
    """Perform one run (messages queued before runs went in batches)."""
    return execution.execute_run(run_id=run_id)


@shared_task(acks_late=True)
def scan_time_triggers() -> int:
    """Every 5 minutes (beat): "last checked in X days ago", "session starts" (before), "plan
    expires in X days"."""
    return scheduling.scan_time_triggers()
