"""Executing due runs, in batches: claim them, re-check each, perform its actions once each, finish.

The claim locks the claimable rows (scheduled and due, or running with a lost claim: the
worker process it names stopped beating, or it is older than ``CLAIM_TIMEOUT``), skipping rows
another worker is claiming, and marks them running with this worker's name in one transaction,
so a duplicated task does nothing. Each action's outcome is
written in the transaction that performed it, so a retry skips what is done. A failing
action sends the run back to "scheduled" with a back-off (1, 5, 25, 125 minutes) until
``MAX_ATTEMPTS``, then the run fails with the error.

A batch of runs first goes through as one transaction without savepoints, its new rows
inserted kind by kind (``bookings_app.core.transactions``): a handful of statements for fifty
e-mails. Should any run of it fail, the batch rolls back and its runs go one by one.
"""

import logging
from collections import defaultdict
from contextlib import nullcontext
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import override

from bookings_app.core import workers
from bookings_app.core.transactions import all_or_nothing, attempt, insert

from . import criteria
from .actions import ActionFailed, action_types
from .context import RunContext, load_contexts
from .models import MAX_ATTEMPTS, Action, ActionOutcome, OutcomeStatus, Run, RunReason, RunStatus
from .triggers import triggers

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 1, 5, 25, 125 minutes."""
    return timedelta(minutes=5 ** max(attempts - 1, 0))


def execute_run(*, run_id: int, now: datetime | None = None) -> str:
    """Perform one due run once; returns the run's status afterwards ("done", "skipped",
    "failed", or "scheduled" for a retry), or "" when it is not ours (not due, done, claimed)."""
    return execute_runs(run_ids=[run_id], now=now).get(run_id, "")


def execute_runs(*, run_ids: list[int], now: datetime | None = None) -> dict[int, str]:
    """Perform a batch of due runs, each once; returns the status of each run this worker
    claimed (the others are not due, done, or another worker's)."""
    now = now or timezone.now()
    return perform_claimed_runs(run_ids=_claim(run_ids, now=now), now=now)


def perform_claimed_runs(*, run_ids: list[int], now: datetime) -> dict[int, str]:
    """The body of ``execute_runs`` for runs this worker holds: claimed by ``execute_runs``, or
    made claimed by ``engine.process_event``. Returns the status of each run performed.

    Their context is read for the whole batch at once. Runs on their first attempt whose
    actions only write rows commit together (one commit, not one per run), in the order of
    their clients, so two batches take the clients' rows in one order. A run calling a
    webhook must not hold a transaction open, and a run tried again carries on from its
    earlier outcomes: each commits alone. A run that raises unexpectedly rolls back and stays
    claimed, for another worker to take over after ``CLAIM_TIMEOUT``.
    """
    contexts = sorted(
        load_contexts(run_ids), key=lambda context: (context.run.client_id or 0, context.run.pk)
    )
    together = [context for context in contexts if _only_writes_rows(context) and context.run.attempts == 1]
    statuses = _perform_together(together, now=now)
    batched = {context.run.pk for context in together}
    for context in contexts:
        if context.run.pk not in batched:
            statuses.update(_perform_alone(context, now=now))
    return statuses


def _perform_together(contexts: list[RunContext], *, now: datetime) -> dict[int, str]:
    """The runs in one transaction with no savepoint, their outcomes and endings written
    together at the end: a few statements per run. If anything goes wrong (an action fails,
    a key exists), it all rolls back and each run is performed again alone, with savepoints,
    so a failure is recorded on its own run and a run that raises is left for another worker."""
    if not contexts:
        return {}
    known: dict[int, _FailedInBatch] = {}
    try:
        with all_or_nothing():
            writes = _BatchWrites()
            statuses = {
                context.run.pk: _perform_claimed(context, now=now, writes=writes) for context in contexts
            }
            writes.write(now=now)
            return statuses
    except _FailedInBatch as failure:  # not tried again on its own: one call per attempt
        known[failure.run_id] = failure
    except Exception:
        logger.info(
            "the batch %s did not go through at once; performing its runs one by one",
            [context.run.pk for context in contexts],
            exc_info=True,
        )
    statuses: dict[int, str] = {}
    for context in contexts:
        statuses.update(_perform_alone(context, now=now, known=known.get(context.run.pk)))
    return statuses


def _only_writes_rows(context: RunContext) -> bool:
    return all(_is_transactional(action) for action in context.automation.actions.all())


def _perform_alone(
    context: RunContext, *, now: datetime, known: "_FailedInBatch | None" = None
) -> dict[int, str]:
    """{run id: status}, or nothing when the run raised (its writes rolled back). ``known``:
    how one of its actions failed a moment ago in a batch, taken as this attempt's outcome."""
    try:
        with transaction.atomic() if _only_writes_rows(context) else nullcontext():
            return {context.run.pk: _perform_claimed(context, now=now, writes=_Writes(), known=known)}
    except Exception:
        logger.exception(
            "run %s failed unexpectedly; it is taken over after the claim timeout", context.run.pk
        )
        return {}


def _perform_claimed(
    context: RunContext, *, now: datetime, writes: "_Writes", known: "_FailedInBatch | None" = None
) -> str:
    with override(context.business.language):  # the log's words, in the owner's language
        outcomes = _outcomes(context.run)
        actions = [
            action
            for action in context.automation.actions.all()
            if outcomes.get(action.position) not in (OutcomeStatus.DONE, OutcomeStatus.SKIPPED)
        ]
        opted_out = context.client_opted_out
        skip = _why_skip(
            context,
            actions=actions,
            opted_out=opted_out,
            started=any(status != OutcomeStatus.FAILED for status in outcomes.values()),
        )
        if skip:
            return writes.finish(
                context.run, now=now, status=RunStatus.SKIPPED, reason=skip[0], detail=skip[1]
            )
        # Actions that only write rows commit together with the run's new status (the caller's
        # transaction), each in its own savepoint outside a batch; with a webhook each commits alone.
        try:
            _perform(
                context, actions=actions, opted_out=opted_out, outcomes=outcomes, writes=writes, known=known
            )
        except ActionFailed as failure:
            return writes.failed(context.run, failure=failure, now=now)
        return writes.finish(context.run, now=now, status=RunStatus.DONE)


def lost_runs(*, now: datetime) -> Q:
    """Running runs whose claim is lost: their worker died (``workers.LOST_AFTER``), or the
    claim is older than ``CLAIM_TIMEOUT``."""
    return Q(status=RunStatus.RUNNING) & workers.lost_claim(now=now, timeout=CLAIM_TIMEOUT)


def _claim(run_ids: list[int], *, now: datetime) -> list[int]:
    """Take the due (or abandoned) runs among ``run_ids`` for this worker process, in one
    transaction: rows another worker is claiming are skipped, the UPDATE asks again that each
    row be claimable (and names its old claim), and each claimed run's attempt is counted."""
    claimable = Q(status=RunStatus.SCHEDULED, due_at__lte=now) | lost_runs(now=now)
    with transaction.atomic():
        runs = Run.objects.filter(claimable, pk__in=run_ids, attempts__lt=MAX_ATTEMPTS)
        found = (
            runs.select_for_update(skip_locked=True).order_by("pk").values_list("pk", "status", "claimed_at")
        )
        as_read: dict[tuple, list[int]] = defaultdict(list)
        for pk, status, claimed_at in found:
            as_read[(status, claimed_at)].append(pk)
        return sorted(
            pk
            for (status, claimed_at), pks in as_read.items()
            for pk in _take(pks, status=status, claimed_at=claimed_at, now=now)
        )


def _take(run_ids: list[int], *, status: str, claimed_at: datetime | None, now: datetime) -> list[int]:
    """Claim the runs still as they were read (same status, same old claim): one UPDATE for the
    fresh runs of a batch, one for the runs a lost worker claimed together. Under the row locks
    (PostgreSQL) or the database lock (SQLite) all are taken; the condition makes sure."""
    worker = workers.current_worker()
    taken = Run.objects.filter(pk__in=run_ids, status=status, claimed_at=claimed_at).update(
        status=RunStatus.RUNNING,
        claimed_at=now,
        claimed_by=worker,
        attempts=F("attempts") + 1,
    )
    if taken == len(run_ids):
        return run_ids
    return list(
        Run.objects.filter(
            pk__in=run_ids, status=RunStatus.RUNNING, claimed_at=now, claimed_by=worker
        ).values_list("pk", flat=True)
    )


def _outcomes(run: Run) -> dict[int, str]:
    """Position → status of the outcomes earlier attempts recorded (none on the first attempt)."""
    if run.attempts <= 1:
        return {}
    return dict(run.outcomes.values_list("position", "status"))


def _why_skip(
    context: RunContext, *, actions: list[Action], opted_out: bool, started: bool
) -> tuple[str, str] | None:
    """(reason, detail) when the run should not act now; checked before its first action."""
    if not context.automation.is_live:
        return RunReason.AUTOMATION_OFF, ""
    if started:  # some actions are done: the run carries on with the rest
        return None
    trigger = triggers.get(context.automation.trigger)
    no_longer = trigger.still_applies(context) if trigger else ""
    if no_longer:
        return RunReason.NO_LONGER_APPLIES, no_longer
    if opted_out and actions and all(_emails_client(action) for action in actions):
        return RunReason.CLIENT_UNSUBSCRIBED, ""
    holds, why_not = criteria.evaluate(context.automation.conditions, context)
    if not holds:
        return RunReason.CONDITION_FALSE, why_not
    return None


def _is_transactional(action: Action) -> bool:
    action_type = action_types.get(action.kind)
    return action_type is None or action_type.transactional


def _emails_client(action: Action) -> bool:
    action_type = action_types.get(action.kind)
    return action_type is not None and action_type.emails_client


def _perform(
    context: RunContext,
    *,
    actions: list[Action],
    opted_out: bool,
    outcomes: dict[int, str],
    writes: "_Writes",
    known: "_FailedInBatch | None" = None,
) -> None:
    """Each action in order, its outcome recorded once; raises ActionFailed at the first failure
    (in a batch, ``_FailedInBatch``)."""
    for action in actions:
        action_type = action_types.get(action.kind)
        recorded = action.position in outcomes  # a failed outcome from an earlier attempt
        if action_type is None:
            writes.record(context.run, action, OutcomeStatus.FAILED, _t("Unknown action."), recorded=recorded)
            raise ActionFailed(_t("Unknown action “%(kind)s”.") % {"kind": action.kind}, retry=False)
        if action_type.emails_client and opted_out:
            writes.record(
                context.run,
                action,
                OutcomeStatus.SKIPPED,
                str(RunReason.CLIENT_UNSUBSCRIBED.label),
                recorded=recorded,
            )
            continue
        try:
            if known is not None and known.position == action.position:
                raise known.error
            _perform_one(context, action, action_type, recorded=recorded, writes=writes)
        except Exception as error:
            if writes.batched:  # nothing of the batch is kept: it is done again run by run
                raise _FailedInBatch(run_id=context.run.pk, position=action.position, error=error) from error
            _recover(context, action, error, recorded=recorded, writes=writes)


def _recover(
    context: RunContext, action: Action, error: Exception, *, recorded: bool, writes: "_Writes"
) -> None:
    """After an action failed (its writes rolled back with its savepoint): record why and raise
    ActionFailed, or carry on when another worker did the action."""
    if isinstance(error, ActionFailed):
        writes.record(context.run, action, OutcomeStatus.FAILED, error.message, recorded=recorded)
        raise error
    if isinstance(error, IntegrityError) and _done_by_another_worker(context.run, action):
        return
    message = f"{type(error).__name__}: {error}"  # an unexpected error: worth another attempt later
    logger.error("run %s action %s failed", context.run.pk, action.position, exc_info=error)
    writes.record(context.run, action, OutcomeStatus.FAILED, message, recorded=recorded)
    raise ActionFailed(message, retry=True) from error


def _done_by_another_worker(run: Run, action: Action) -> bool:
    """After a stale claim two workers may race for an action: the loser's writes rolled back."""
    done = ActionOutcome.objects.filter(run=run, position=action.position, status=OutcomeStatus.DONE).exists()
    if done:
        logger.warning("run %s action %s was done by another worker", run.pk, action.position)
    return done


def _perform_one(
    context: RunContext, action: Action, action_type, *, recorded: bool, writes: "_Writes"
) -> None:
    """A transactional action commits with its "done" outcome: both or neither."""
    if action_type.transactional:
        with attempt():
            detail = action_type.perform(context, action.settings, position=action.position)
            writes.record(context.run, action, OutcomeStatus.DONE, detail, recorded=recorded)
    else:
        detail = action_type.perform(context, action.settings, position=action.position)
        writes.record(context.run, action, OutcomeStatus.DONE, detail, recorded=recorded)


class _Writes:
    """A run's outcomes and ending, each written when it happens."""

    batched = False

    def record(self, run: Run, action: Action, status: str, detail: str, *, recorded: bool) -> None:
        """Write the action's outcome. A row exists once per (run, position), by constraint: if
        another worker wrote it meanwhile, the insert fails and the caller's transaction with it."""
        now = timezone.now()
        if recorded:
            ActionOutcome.objects.filter(
                run=run, position=action.position, status=OutcomeStatus.FAILED
            ).update(status=status, detail=detail, finished_at=now)
        else:
            ActionOutcome.objects.create(
                run=run,
                position=action.position,
                kind=action.kind,
                status=status,
                detail=detail,
                finished_at=now,
            )

    def finish(self, run: Run, *, now: datetime, status: str, reason: str = "", detail: str = "") -> str:
        Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING, claimed_at=run.claimed_at).update(
            status=status,
            reason=reason,
            detail=detail,
            finished_at=_finished_at(now),
        )
        return status

    def failed(self, run: Run, *, failure: ActionFailed, now: datetime) -> str:
        """Back to "scheduled" with a back-off while attempts are left, else failed with the error."""
        mine = Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING, claimed_at=run.claimed_at)
        if failure.retry and run.attempts < MAX_ATTEMPTS:
            mine.update(
                status=RunStatus.SCHEDULED,
                due_at=now + backoff(run.attempts),
                dispatched_at=None,
                last_error=failure.message,
            )
            return RunStatus.SCHEDULED
        mine.update(
            status=RunStatus.FAILED,
            reason=RunReason.ACTION_FAILED,
            detail=failure.message,
            last_error=failure.message,
            finished_at=_finished_at(now),
        )
        return RunStatus.FAILED


class _BatchWrites(_Writes):
    """The outcomes of a batch of runs inserted in one statement and their endings written in
    one per kind of ending, once every run is through. A failure is never written here: it
    ends the batch (see ``_perform_together``)."""

    batched = True

    def __init__(self) -> None:
        self.endings: dict[tuple, list[int]] = defaultdict(list)

    def record(self, run: Run, action: Action, status: str, detail: str, *, recorded: bool) -> None:
        if status == OutcomeStatus.FAILED:  # an unknown action: nothing was done
            raise _NotForABatch(f"run {run.pk} action {action.position}: {detail}")
        insert(
            ActionOutcome(
                run=run,
                position=action.position,
                kind=action.kind,
                status=status,
                detail=detail,
                finished_at=timezone.now(),
            )
        )

    def finish(self, run: Run, *, now: datetime, status: str, reason: str = "", detail: str = "") -> str:
        self.endings[(status, reason, detail, run.claimed_at)].append(run.pk)
        return status

    def failed(self, run: Run, *, failure: ActionFailed, now: datetime) -> str:
        raise _NotForABatch(f"run {run.pk}: {failure.message}")

    def write(self, *, now: datetime) -> None:
        """The endings; the outcomes and what the actions stored are inserted as the batch's
        transaction ends (``transactions.insert``)."""
        finished_at = _finished_at(now)
        for (status, reason, detail, claimed_at), run_ids in self.endings.items():
            Run.objects.filter(pk__in=run_ids, status=RunStatus.RUNNING, claimed_at=claimed_at).update(
                status=status,
                reason=reason,
                detail=detail,
                finished_at=finished_at,
            )


class _FailedInBatch(Exception):
    """An action of a batch's run failed: the batch rolls back and is done again run by run."""

    def __init__(self, *, run_id: int, position: int, error: Exception) -> None:
        super().__init__(f"run {run_id} action {position}: {error!r}")
        self.run_id, self.position, self.error = run_id, position, error


class _NotForABatch(Exception):
    """A run of the batch failed: the batch is done again run by run, where failures are written."""


def _finished_at(now: datetime) -> datetime:
    """The clock when the run ends (``now`` is when it was claimed, or a test's later time)."""
    return max(now, timezone.now())
