"""How a consumer reads the outbox: its unprocessed deliveries, claimed race-free, and a sweep.

Every consumer (automations, loyalty) reads the same way: its task calls ``claim_events``
inside the transaction that does the work, so the "processed" mark commits with the work or
not at all; rows another worker holds are skipped, never waited for. ``sweep`` hands the
deliveries whose task was lost back to the consumer's own processing, from beat.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import QuerySet

from ..models import DomainEvent, EventDelivery

logger = logging.getLogger(__name__)


def unprocessed(consumer: str) -> QuerySet[EventDelivery]:
    """The consumer's deliveries not processed yet, oldest event first."""
    return EventDelivery.objects.filter(consumer=consumer, processed_at__isnull=True).order_by(
        "event__occurred_at", "event_id"
    )


def is_unprocessed(consumer: str, event_id: int) -> bool:
    return unprocessed(consumer).filter(event_id=event_id).exists()


def claim_events(
    consumer: str, event_id: int, *, now: datetime, backlog: int = 0, behind: timedelta = timedelta(0)
) -> list[DomainEvent]:
    """The event, marked processed for ``consumer`` in the caller's transaction (call inside
    one); none when it is processed for it already or another worker holds it.

    When the event itself waited longer than ``behind`` (its task came late: the workers are
    behind), up to ``backlog`` other unprocessed ones are taken along too, whatever their age,
    in the order they were recorded: the queue is long, so one task empties a batch of it.
    While the workers keep up, each event stays with its own task.
    """
    pending = _claimable(consumer)
    own = pending.filter(event_id=event_id).values_list("pk", "event__occurred_at").first()
    if own is None:
        return []
    claimed = [(own[0], event_id)]
    if backlog and now - own[1] > behind:
        # By event id, not time: the pending index gives them in order, without sorting them all.
        waiting = pending.exclude(event_id=event_id).order_by("event_id").values_list("pk", "event_id")
        claimed += list(waiting[:backlog])
    return _mark_processed(claimed, now=now)


def claim_waiting(consumer: str, *, now: datetime, limit: int) -> list[DomainEvent]:
    """Up to ``limit`` unprocessed events, in the order they were recorded, marked processed for
    ``consumer`` in the caller's transaction (call inside one); those another worker holds are
    skipped. What a worker draining the consumer's backlog takes, batch after batch."""
    waiting = _claimable(consumer).order_by("event_id").values_list("pk", "event_id")
    return _mark_processed(list(waiting[:limit]), now=now)


def _claimable(consumer: str) -> QuerySet[EventDelivery]:
    return unprocessed(consumer).select_for_update(skip_locked=True, of=("self",))


def _mark_processed(claimed: list[tuple[int, int]], *, now: datetime) -> list[DomainEvent]:
    """``claimed``: (delivery, event) pairs."""
    if not claimed:
        return []
    EventDelivery.objects.filter(pk__in=[pk for pk, _event in claimed]).update(processed_at=now)
    return list(DomainEvent.objects.filter(pk__in=[event for _pk, event in claimed]))


def sweep(
    consumer: str,
    process: Callable[[int], object],
    *,
    older_than: datetime,
    batch: int = 500,
    budget_seconds: float = 20,
) -> int:
    """``process(event_id)`` for the consumer's deliveries of events older than ``older_than``
    still unprocessed (their task was lost, the broker was down), oldest first, for at most
    ``budget_seconds``; returns how many. One that raises is logged and left for the next sweep."""
    deadline, processed, failed = time.monotonic() + budget_seconds, 0, set()
    while time.monotonic() < deadline:
        waiting = list(
            unprocessed(consumer)
            .filter(event__occurred_at__lt=older_than)
            .exclude(event_id__in=failed)
            .values_list("event_id", flat=True)[:batch]
        )
        for event_id in waiting:
            try:
                process(event_id)
                processed += 1
            except Exception:
                logger.exception(
                    "event %s could not be processed for %s; the next sweep tries again", event_id, consumer
                )
                failed.add(event_id)
        if len(waiting) < batch:
            break
    return processed
