"""Matching outbox events to automations and making their runs (docs/architecture.md, "A
booking's journey", step 4).

``process_event`` claims the event and makes its runs in one transaction: a duplicate
delivery finds it processed and makes nothing, a worker lost half-way leaves it unprocessed
for the sweep. ``make_run`` is shared with the time scans: one run per key, and the frequency
limit decided under the (automation, client) FrequencyMark row lock.
"""

import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings_app.core import draining
from bookings_app.core.hand_over import send_now
from bookings_app.core.workers import current_worker
from bookings_app.models import DomainEvent
from bookings_app.services import event_outbox

from .execution import perform_claimed_runs
from .models import Automation, DelayDirection, Frequency, FrequencyMark, Run, RunReason, RunStatus
from .triggers import Target, Trigger, reading

logger = logging.getLogger(__name__)

EVENT_CONSUMER = "automations"  # its deliveries in the outbox (bookings_app.plug_ins.event_kinds)
EVENT_BATCH = 50  # events one worker's task takes at once from a burst
# A task whose event waited longer than this finds the workers behind and takes the waiting
# events along (a batch costs a few statements, where each event alone costs twenty); a task
# that comes sooner keeps to its own event, so while the workers keep up the work spreads
# over every worker instead of piling on one.
BEHIND_AFTER = timedelta(milliseconds=100)
DRAIN_BATCH = 200  # events a draining worker takes at once
# A worker draining a backlog hands over to a new task after this long (the queue moves on).
DRAIN_BUDGET_SECONDS = 4.0
RUN_BATCH = 50  # due runs handed to a worker in one task
# Events a worker process remembers having taken along: a burst's tasks for them come within a
# few batches, to this process or another.
TAKEN_KEPT = 2_000


def process_event(
    *, event_id: int, now: datetime | None = None, execute_due_now: bool = False, batch: int = 1
) -> int:
    """Make the runs of every live automation whose trigger matches the event; returns how many.

    With ``batch`` above 1, when the event waited longer than ``BEHIND_AFTER`` (the workers are
    behind, as in a burst of bookings), the worker also takes up to ``batch - 1`` other
    unprocessed events: their own tasks then find them processed and make nothing; when that
    batch comes back full, it goes on emptying the backlog (``drain_events``). Returns 0 when
    the event was already processed (or does not exist).
    Runs due at once are either made claimed by this worker and performed right here after
    commit (``execute_due_now``, what the worker's task does: no second task, no second
    claim), or handed to workers; the others wait for ``scheduling.dispatch_due_runs``.
    """
    now = now or timezone.now()
    if _taken_here.knows(event_id) or not event_outbox.is_unprocessed(EVENT_CONSUMER, event_id):
        return 0  # a worker took it along with its own: in a burst, most tasks end here, cheaply
    taken, made = _process_claimed(
        lambda: event_outbox.claim_events(
            EVENT_CONSUMER, event_id, now=now, backlog=batch - 1, behind=BEHIND_AFTER
        ),
        now=now,
        execute_due_now=execute_due_now,
    )
    if batch > 1 and taken == batch:  # behind, and the backlog filled the batch: more are waiting
        made += drain_events()
    return made


def drain_events(*, batch: int = DRAIN_BATCH, budget_seconds: float = DRAIN_BUDGET_SECONDS) -> int:
    """Empty the backlog of waiting events, ``batch`` at a time, performing the runs due at once;
    returns how many runs were made. While it drains, new events are not handed over one by one
    (``bookings_app.core.draining``): a burst then costs a task per batch, not per event.

    The flag goes down before the last look for waiting events, which is what makes skipping
    their hand-over safe. After ``budget_seconds`` another task carries on, so that the other
    tasks waiting in the queue are not held up behind a long drain."""
    deadline, made = time.monotonic() + budget_seconds, 0
    draining.keep_draining(EVENT_CONSUMER)
    flag_up = True
    while True:
        now = timezone.now()
        taken, runs = _process_claimed(
            lambda now=now: event_outbox.claim_waiting(EVENT_CONSUMER, now=now, limit=batch),
            now=now,
            execute_due_now=True,
        )
        made += runs
        if not taken:
            if not flag_up:
                return made
            draining.stop_draining(EVENT_CONSUMER)  # then one last look
            flag_up = False
            continue
        if time.monotonic() > deadline:
            if not send_now("automations.tasks.drain_events"):
                draining.stop_draining(EVENT_CONSUMER)  # no successor: new events get their tasks
            return made
        draining.keep_draining(EVENT_CONSUMER)
        flag_up = True


def _process_claimed(
    claim: Callable[[], list[DomainEvent]], *, now: datetime, execute_due_now: bool
) -> tuple[int, int]:
    """Claim events (``claim`` runs inside the transaction) and make their runs; then perform
    those due at once when ``execute_due_now``. Returns (events taken, runs made).

    ``now`` is moved up to the newest event claimed: an event taken along with the backlog may
    have committed after the task read the clock, and a run due at its event's moment would
    otherwise count as not yet due, neither performed nor handed over, and wait for beat."""
    with transaction.atomic():
        events = claim()
        now = max([now, *(event.occurred_at for event in events)])
        transaction.on_commit(lambda: _taken_here.remember([event.pk for event in events]))
        listening = _Listening()
        # By client: two batches lock the clients' frequency marks in one order, never crossing.
        runs = _make_runs(
            sorted(events, key=lambda event: (event.client_id or 0, event.pk)),
            listening=listening,
            now=now,
            claim=execute_due_now,
        )
        if not execute_due_now:
            hand_over_when_committed([run.pk for run in runs if run.dispatched_at is not None])
    if runs:
        logger.debug("events %s: %s runs", [event.pk for event in events], len(runs))
    claimed = [run.pk for run in runs if run.status == RunStatus.RUNNING]
    if claimed:
        perform_claimed_runs(run_ids=claimed, now=now)
    return len(events), len(runs)


class _TakenAlong:
    """The events this worker process marked processed, the last ``TAKEN_KEPT``: when their own
    task comes to the same process it ends without a query (and without the connection's
    health check before it). An id enters once its batch has committed, and a processed
    delivery never becomes unprocessed again, so the answer is the database's. Kept only in
    Celery worker processes: elsewhere (tests, the web) ids may be reused by another database."""

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._order: deque[int] = deque()

    def knows(self, event_id: int) -> bool:
        return event_id in self._ids

    def remember(self, event_ids: list[int]) -> None:
        if not current_worker():
            return
        for event_id in event_ids:
            if event_id not in self._ids:
                self._ids.add(event_id)
                self._order.append(event_id)
        while len(self._order) > TAKEN_KEPT:
            self._ids.discard(self._order.popleft())


_taken_here = _TakenAlong()


def _make_runs(
    events: list[DomainEvent], *, listening: "_Listening", now: datetime, claim: bool
) -> list[Run]:
    """The runs of these events. Those of automations acting every time are inserted together
    (no frequency mark to lock); the others one by one, each under its mark's lock."""
    limited: list[Run] = []
    unlimited: list[Run] = []
    for event in events:
        for automation, trigger in listening.to(event):
            if not trigger.matches(event, automation):
                continue
            for target in trigger.targets(event, automation):
                due = due_at(automation, moment=event.occurred_at)
                if automation.frequency == Frequency.EVERY_TIME:
                    unlimited.append(
                        _new_run(
                            automation=automation,
                            target=target,
                            due_at=due,
                            now=now,
                            event=event,
                            claim=claim,
                        )
                    )
                elif run := make_run(
                    automation=automation, target=target, due_at=due, now=now, event=event, claim=claim
                ):
                    limited.append(run)
    return limited + _insert_together(unlimited)


def _insert_together(runs: list[Run]) -> list[Run]:
    """Insert the runs in one statement; if a key exists already, one by one, leaving it out."""
    if not runs:
        return []
    try:
        with transaction.atomic():
            return Run.objects.bulk_create(runs)
    except IntegrityError:  # a concurrent delivery or scan made one of them
        for run in runs:
            run.pk = None
        return [run for run in runs if _insert(run)]


class _Listening:
    """The live automations by event kind, read once per batch of events."""

    def __init__(self) -> None:
        self._by_kind: dict[str, list[tuple[Automation, Trigger, set[int]]]] = {}

    def to(self, event: DomainEvent) -> list[tuple[Automation, Trigger]]:
        """(automation, trigger) for each live automation whose trigger reads this event's kind
        and whose service filter (when the trigger has one) lets the event's service through."""
        if event.kind not in self._by_kind:
            self._by_kind[event.kind] = _listening_to(event.kind)
        return [
            (automation, trigger)
            for automation, trigger, service_ids in self._by_kind[event.kind]
            if not (trigger.service_filter and service_ids and event.service_id not in service_ids)
        ]


def _listening_to(kind: str) -> list[tuple[Automation, Trigger, set[int]]]:
    """(automation, trigger, ids of the services it is filtered to) for the live automations
    whose trigger reads ``kind``."""
    by_key = {trigger.key: trigger for trigger in reading(kind)}
    if not by_key:
        return []
    automations = (
        Automation.objects.filter(trigger__in=by_key, is_active=True, deleted_at__isnull=True)
        .prefetch_related("services")
        .order_by("pk")
    )
    return [
        (automation, by_key[automation.trigger], {service.pk for service in automation.services.all()})
        for automation in automations
    ]


def due_at(automation: Automation, *, moment: datetime) -> datetime:
    """When the run is due: the trigger's moment moved by the automation's delay."""
    if automation.delay_direction == DelayDirection.BEFORE:
        return moment - automation.delay
    return moment + automation.delay


def make_run(
    *,
    automation: Automation,
    target: Target,
    due_at: datetime,
    now: datetime,
    event: DomainEvent | None = None,
    claim: bool = False,
) -> Run | None:
    """The run for ``target``, or None when its key exists already (a duplicate delivery or
    scan; the scans leave out the keys they know). Call inside a transaction.

    Over the frequency limit the run is still made, skipped with the reason, so the log says
    why the automation did not act. A run due now is marked dispatched: the caller hands it
    to a worker after commit — or, with ``claim``, it is made claimed (running, first attempt)
    and the caller performs it after commit.
    """
    run = _new_run(automation=automation, target=target, due_at=due_at, now=now, event=event, claim=claim)
    if not _insert(run):  # made a moment ago by a concurrent delivery or scan
        return None
    if not _within_frequency_limit(automation, client_id=target.client_id, now=now):
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.SKIPPED,
            reason=RunReason.FREQUENCY_LIMIT,
            finished_at=now,
            dispatched_at=None,
            claimed_at=None,
            attempts=0,
        )
        run.status, run.reason, run.finished_at, run.dispatched_at, run.claimed_at, run.attempts = (
            RunStatus.SKIPPED,
            RunReason.FREQUENCY_LIMIT,
            now,
            None,
            None,
            0,
        )
    return run


def _new_run(
    *,
    automation: Automation,
    target: Target,
    due_at: datetime,
    now: datetime,
    event: DomainEvent | None,
    claim: bool,
) -> Run:
    """The unsaved run: dispatched if due now, or (``claim``) claimed by this worker."""
    run = Run(
        automation=automation,
        event=event,
        key=target.key,
        client_id=target.client_id,
        booking_id=target.booking_id,
        session_id=target.session_id,
        facts=target.facts,
        due_at=due_at,
        dispatched_at=now if due_at <= now else None,
    )
    if claim and due_at <= now:
        run.status, run.claimed_at, run.claimed_by, run.attempts = RunStatus.RUNNING, now, current_worker(), 1
    return run


def _insert(run: Run) -> bool:
    """Whether the run was inserted (False: its key exists)."""
    try:
        with transaction.atomic():
            run.save(force_insert=True)
    except IntegrityError:
        return False
    return True


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
    """After commit, queue the runs to workers in batches; a broker outage only delays them
    until the dispatcher."""
    if run_ids:
        transaction.on_commit(lambda: hand_over(run_ids))


def hand_over(run_ids: list[int]) -> None:
    """The runs to the workers in batches, stopping at the first the broker refuses."""
    for start in range(0, len(run_ids), RUN_BATCH):
        if not send_now("automations.tasks.execute_runs", run_ids[start : start + RUN_BATCH]):
            return
