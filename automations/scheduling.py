"""What time drives (docs/architecture.md, "Celery: workers and beat"), run by Celery beat.

- ``dispatch_due_runs``: queue the due runs to workers in batches; each run is claimed there.
- ``process_pending_events``: the sweep for events whose task was lost.
- ``scan_absent_clients`` / ``scan_session_starts`` / ``scan_plan_expiries``: the time-based
  triggers, which make runs directly with unique keys, so running them often is safe.

Due times are rows (``Run.due_at``, indexed), never Celery countdowns: a lost message only
delays work until the next beat.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from bookings_app.models import Attendance, Booking, Business, Session, SessionStatus
from bookings_app.selectors import active_client_plans
from bookings_app.services import event_outbox

from .engine import EVENT_CONSUMER, hand_over_when_committed, make_run, process_event
from .execution import lost_runs
from .models import MAX_ATTEMPTS, Automation, DelayDirection, Run, RunReason, RunStatus
from .triggers import Target, session_targets

logger = logging.getLogger(__name__)

REDISPATCH_AFTER = timedelta(minutes=1)  # a run's task still not started by then is taken as lost
EVENT_GRACE = timedelta(seconds=30)  # younger unprocessed events still have their task on the way
SCAN_MARGIN = timedelta(minutes=10)  # "before" runs are made this much ahead of their due time
ABSENCE_LOOKBACK = timedelta(days=2)  # an absence that came of age while the scan was down still counts
DISPATCH_BATCH = 500


def dispatch_due_runs(*, limit: int = DISPATCH_BATCH, now: datetime | None = None) -> int:
    """Queue ``execute_runs`` (in batches) for due scheduled runs (oldest first) and for runs
    whose worker was lost; returns how many. Runs stay "scheduled": the task claims them. A run whose task
    was queued less than ``REDISPATCH_AFTER`` ago is left alone. On PostgreSQL two
    dispatchers skip each other's rows (SKIP LOCKED)."""
    now = now or timezone.now()
    _fail_lost_runs(now=now)
    not_on_its_way = Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - REDISPATCH_AFTER)
    with transaction.atomic():
        due = _locked_ids(
            Run.objects.filter(not_on_its_way, status=RunStatus.SCHEDULED, due_at__lte=now).order_by(
                "due_at"
            ),
            limit,
        )
        # A lost run is sent again unless a task went for it since it was claimed (a minute ago or less).
        not_sent_since = (
            Q(dispatched_at__isnull=True)
            | Q(dispatched_at__lte=F("claimed_at"))
            | Q(dispatched_at__lt=now - REDISPATCH_AFTER)
        )
        lost = _locked_ids(
            Run.objects.filter(lost_runs(now=now), not_sent_since, attempts__lt=MAX_ATTEMPTS).order_by(
                "claimed_at"
            ),
            limit - len(due),
        )
        Run.objects.filter(pk__in=due + lost).update(dispatched_at=now)
        hand_over_when_committed(due + lost)
    return len(due) + len(lost)


def _locked_ids(runs, limit: int) -> list[int]:
    if limit <= 0:
        return []
    return list(runs.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])


def _fail_lost_runs(*, now: datetime) -> int:
    """A run whose worker died on its last attempt has no attempt left: it fails, saying so."""
    return Run.objects.filter(lost_runs(now=now), attempts__gte=MAX_ATTEMPTS).update(
        status=RunStatus.FAILED, reason=RunReason.WORKER_LOST, finished_at=now
    )


def process_pending_events(
    *, now: datetime | None = None, batch: int = 500, budget_seconds: float = 20
) -> int:
    """The sweep: process events left unprocessed for ``EVENT_GRACE`` (their task was lost or
    the broker was down), oldest first, for at most ``budget_seconds``; returns how many.
    An event whose processing raises is logged and left for the next sweep."""
    now = now or timezone.now()
    return event_outbox.sweep(
        EVENT_CONSUMER,
        lambda event_id: process_event(event_id=event_id),
        older_than=now - EVENT_GRACE,
        batch=batch,
        budget_seconds=budget_seconds,
    )


def scan_time_triggers(*, now: datetime | None = None) -> int:
    """Every time scan; returns how many runs they made."""
    now = now or timezone.now()
    return scan_absent_clients(now=now) + scan_session_starts(now=now) + scan_plan_expiries(now=now)


def scan_absent_clients(*, now: datetime | None = None) -> int:
    """ "Client was last checked in X days ago": one run per client per period of absence.

    A client whose last check-in turned X days old within ``ABSENCE_LOOKBACK`` gets a run
    keyed by that last visit's date, so it exists once, and a new absence after a new visit
    gets a new one. Returns how many runs were made.
    """
    now = now or timezone.now()
    tz, made = Business.current().tz, 0
    for automation in _live("last_check_in"):
        absence = timedelta(days=automation.trigger_params.get("days") or 1)
        last_visits = (
            Booking.objects.filter(attendance=Attendance.CHECKED_IN)
            .values("client_id")
            .annotate(last=Max("attendance_at"))
            .filter(last__lte=now - absence, last__gt=now - absence - ABSENCE_LOOKBACK)
            .values_list("client_id", "last")
        )
        made += _make_runs(
            automation,
            [
                (
                    Target(
                        key=f"absent:{automation.pk}:{client_id}:{timezone.localdate(last, tz).isoformat()}",
                        client_id=client_id,
                        facts={"last_visit": last.isoformat()},
                    ),
                    last + absence + automation.delay,
                )
                for client_id, last in last_visits
            ],
            now=now,
        )
    return made


def scan_session_starts(*, now: datetime | None = None) -> int:
    """ "Session starts" with a delay *before* it: make the runs of sessions starting within the
    delay plus ``SCAN_MARGIN``, with the keys the "session started" event would use.

    A booking made after its run's due time gets none (the reminder moment had passed).
    Returns how many runs were made.
    """
    now = now or timezone.now()
    made = 0
    for automation in _live("session_starts").filter(delay_direction=DelayDirection.BEFORE):
        sessions = Session.objects.filter(
            status=SessionStatus.SCHEDULED, start__gt=now, start__lte=now + automation.delay + SCAN_MARGIN
        )
        service_ids = [service.pk for service in automation.services.all()]
        if service_ids:
            sessions = sessions.filter(service_id__in=service_ids)
        targets = []
        for session_id, start in sessions.order_by("start").values_list("pk", "start"):
            due = start - automation.delay
            targets += [
                (target, due)
                for target in session_targets(
                    "session-start", automation, session_id=session_id, booked_by=due
                )
            ]
        made += _make_runs(automation, targets, now=now)
    return made


def scan_plan_expiries(*, now: datetime | None = None) -> int:
    """ "A client's plan expires in X days": one run per client plan (keyed by it), made once
    the pack is within X days of its end and still has a credit, due X days before the end
    (plus the automation's delay). A pack found late (the scan was down) is still told, as long
    as it has not ended. Returns how many runs were made.
    """
    now = now or timezone.now()
    made = 0
    for automation in _live("plan_expires"):
        notice = timedelta(days=automation.trigger_params.get("days") or 7)
        packs = active_client_plans(now=now).filter(valid_until__lte=now + notice + SCAN_MARGIN)
        made += _make_runs(
            automation,
            [
                (
                    Target(
                        key=f"plan-expires:{automation.pk}:{pack_id}",
                        client_id=client_id,
                        facts={"client_plan_id": pack_id},
                    ),
                    max(valid_until - notice, now) + automation.delay,
                )
                for pack_id, client_id, valid_until in packs.order_by("valid_until", "pk").values_list(
                    "pk", "client_id", "valid_until"
                )
            ],
            now=now,
        )
    return made


def _live(trigger: str):
    return (
        Automation.objects.filter(trigger=trigger, is_active=True, deleted_at__isnull=True)
        .prefetch_related("services")
        .order_by("pk")
    )


def _make_runs(automation: Automation, targets: list[tuple[Target, datetime]], *, now: datetime) -> int:
    """The runs not made yet, each in its own transaction (a frequency lock is held briefly)."""
    keys = [target.key for target, _due in targets]
    existing = set(Run.objects.filter(key__in=keys).values_list("key", flat=True))
    made = 0
    for target, due in targets:
        if target.key in existing:
            continue
        with transaction.atomic():
            run = make_run(automation=automation, target=target, due_at=due, now=now)
            if run is not None:
                made += 1
                hand_over_when_committed([run.pk] if run.dispatched_at else [])
    return made
