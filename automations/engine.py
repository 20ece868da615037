"""Matching outbox events to automations and making their runs (DESIGN.md, "Events", step 3).

``process_event`` claims the event and makes its runs in one transaction: a duplicate
delivery finds it processed and makes nothing, a worker lost half-way leaves it unprocessed
for the sweep. ``make_run`` is shared with the time scans: one run per key, and the frequency
limit decided under the (automation, client) FrequencyMark row lock.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings_app.models import DomainEvent

from .execution import perform_claimed_run
from .models import Automation, DelayDirection, Frequency, FrequencyMark, Run, RunReason, RunStatus
from .triggers import Target, reading

logger = logging.getLogger(__name__)


def process_event(*, event_id: int, now: datetime | None = None, execute_due_now: bool = False) -> int:
    """Make the runs of every live automation whose trigger matches the event; returns how many.

    Returns 0 when the event was already processed (or does not exist). Runs due at once are
    either made claimed by this worker and performed right here after commit
    (``execute_due_now``, what the worker's task does: no second task, no second claim), or
    handed to workers; the others wait for ``scheduling.dispatch_due_runs``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not DomainEvent.objects.filter(pk=event_id, processed_at__isnull=True).update(processed_at=now):
            return 0
        event = DomainEvent.objects.get(pk=event_id)
        runs = [
            run
            for automation, trigger in _listening(event)
            if trigger.matches(event, automation)
            for target in trigger.targets(event, automation)
            if (run := make_run(automation=automation, target=target, event=event,
                                due_at=due_at(automation, moment=event.occurred_at), now=now,
                                claim=execute_due_now))
        ]
        if not execute_due_now:
            hand_over_when_committed([run.pk for run in runs if run.dispatched_at is not None])
    if runs:
        logger.info("event %s (%s): %s runs", event_id, event.kind, len(runs))
    for run in runs:
        if run.status == RunStatus.RUNNING:
            try:
                perform_claimed_run(run_id=run.pk, now=now)
            except Exception:  # one run's trouble never holds up the others
                logger.exception("run %s failed unexpectedly; it is taken over after the claim timeout", run.pk)
    return len(runs)


def _listening(event: DomainEvent):
    """(automation, trigger) for each live automation whose trigger reads this kind and whose
    service filter (when the trigger has one) lets the event's service through."""
    by_key = {trigger.key: trigger for trigger in reading(event.kind)}
    if not by_key:
        return []
    automations = Automation.objects.filter(
        trigger__in=by_key, is_active=True, deleted_at__isnull=True
    ).prefetch_related("services").order_by("pk")
    listening = []
    for automation in automations:
        trigger = by_key[automation.trigger]
        service_ids = {service.pk for service in automation.services.all()}
        if trigger.service_filter and service_ids and event.service_id not in service_ids:
            continue
        listening.append((automation, trigger))
    return listening


def due_at(automation: Automation, *, moment: datetime) -> datetime:
    """When the run is due: the trigger's moment moved by the automation's delay."""
    if automation.delay_direction == DelayDirection.BEFORE:
        return moment - automation.delay
    return moment + automation.delay


def make_run(
    *, automation: Automation, target: Target, due_at: datetime, now: datetime,
    event: DomainEvent | None = None, claim: bool = False,
) -> Run | None:
    """The run for ``target``, or None when its key exists already (a duplicate delivery or
    scan; the scans leave out the keys they know). Call inside a transaction.

    Over the frequency limit the run is still made, skipped with the reason, so the log says
    why the automation did not act. A run due now is marked dispatched: the caller hands it
    to a worker after commit — or, with ``claim``, it is made claimed (running, first attempt)
    and the caller performs it after commit.
    """
    run = Run(
        automation=automation, event=event, key=target.key, client_id=target.client_id,
        booking_id=target.booking_id, session_id=target.session_id, facts=target.facts, due_at=due_at,
        dispatched_at=now if due_at <= now else None,
    )
    if claim and due_at <= now:
        run.status, run.claimed_at, run.attempts = RunStatus.RUNNING, now, 1
    try:
        with transaction.atomic():
            run.save(force_insert=True)
    except IntegrityError:  # made a moment ago by a concurrent delivery or scan
        return None
    if not _within_frequency_limit(automation, client_id=target.client_id, now=now):
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.SKIPPED, reason=RunReason.FREQUENCY_LIMIT, finished_at=now, dispatched_at=None,
            claimed_at=None, attempts=0,
        )
        run.status, run.reason, run.finished_at, run.dispatched_at, run.claimed_at, run.attempts = (
            RunStatus.SKIPPED, RunReason.FREQUENCY_LIMIT, now, None, None, 0
        )
    return run


def _within_frequency_limit(automation: Automation, *, client_id: int | None, now: datetime) -> bool:
    """Whether the automation may act for this client now; if so, records that it does.

    The mark row is locked until the caller's transaction ends, so of two events for one
    client processed at once the second waits and then sees the first's mark.
    """
    if automation.frequency == Frequency.EVERY_TIME or client_id is None:
        return True
    FrequencyMark.objects.get_or_create(automation=automation, client_id=client_id)
    mark = FrequencyMark.objects.select_for_update().get(automation=automation, client_id=client_id)
    if mark.last_run_at is not None:
        if automation.frequency == Frequency.ONCE_PER_CLIENT:
            return False
        if mark.last_run_at > now - timedelta(days=automation.frequency_days or 0):
            return False
    FrequencyMark.objects.filter(pk=mark.pk).update(last_run_at=now)
    return True


def hand_over_when_committed(run_ids: list[int]) -> None:
    """After commit, queue a task per run; a broker outage only delays them until the dispatcher."""
    if run_ids:
        transaction.on_commit(lambda: hand_over(run_ids))


def hand_over(run_ids: list[int]) -> None:
    from .tasks import execute_run  # the tasks module imports the engine

    try:
        for run_id in run_ids:
            execute_run.apply_async(args=[run_id], retry=False)
    except Exception:  # the broker is down: the dispatcher sends them again later
        logger.warning("could not queue runs %s; the dispatcher will", run_ids, exc_info=True)
