"""A run claimed by a worker process that died goes back to the workers as soon as its
heartbeat is stale, exactly once; a run whose worker still beats is left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from automations.engine import process_event
from automations.execution import execute_run, execute_runs
from automations.models import ActionOutcome, Run, RunStatus
from automations.scheduling import dispatch_due_runs
from bookings_app.core.workers import LOST_AFTER
from bookings_app.models import OutgoingEmail, WorkerHeartbeat
from tests.support.races import race

from .builders import automation, book, email_client

DEAD = "worker-host:4242:dead0000"


def claimed_by(run: Run, worker: str, *, seen_ago: timedelta | None, claimed_ago=LOST_AFTER * 2) -> None:
    """As a worker leaves it: the run running under ``worker``'s name since ``claimed_ago``,
    its task sent as it was claimed; ``worker`` last beat ``seen_ago`` (None: its row is gone)."""
    now = timezone.now()
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        claimed_by=worker,
        attempts=1,
        claimed_at=now - claimed_ago,
        dispatched_at=now - claimed_ago,
    )
    if seen_ago is not None:
        WorkerHeartbeat.objects.create(
            worker=worker, started_at=now - timedelta(hours=1), last_seen=now - seen_ago
        )


def automation_emails() -> int:
    return OutgoingEmail.objects.filter(kind="automation").count()


@pytest.fixture
def welcome_run(worker, massage, alice) -> Run:
    automation("client_books", actions=[email_client("Welcome")])
    book(massage)
    [run] = worker.process_events()
    return run


def test_it_takes_back_a_run_whose_worker_stopped_beating_once(welcome_run, handed_over):
    claimed_by(welcome_run, DEAD, seen_ago=LOST_AFTER + timedelta(seconds=1))

    assert dispatch_due_runs() == 1
    assert dispatch_due_runs() == 0  # its task is on its way
    assert execute_run(run_id=welcome_run.pk) == RunStatus.DONE
    assert execute_run(run_id=welcome_run.pk) == ""
    welcome_run.refresh_from_db()
    assert (welcome_run.attempts, welcome_run.claimed_by) == (2, "")
    assert automation_emails() == 1


def test_it_takes_back_a_run_whose_worker_row_is_gone(welcome_run, handed_over):
    claimed_by(welcome_run, DEAD, seen_ago=None)

    assert dispatch_due_runs() == 1
    assert execute_run(run_id=welcome_run.pk) == RunStatus.DONE
    assert automation_emails() == 1


def test_it_leaves_a_run_to_its_worker_while_it_beats(welcome_run, handed_over):
    claimed_by(
        welcome_run,
        "worker-host:77:alive000",
        seen_ago=timedelta(seconds=5),
        claimed_ago=timedelta(minutes=4),
    )

    assert dispatch_due_runs() == 0
    assert execute_run(run_id=welcome_run.pk) == ""
    assert Run.objects.get(pk=welcome_run.pk).status == RunStatus.RUNNING
    assert automation_emails() == 0


def test_it_leaves_a_claim_younger_than_the_heartbeat_window_even_without_its_worker(
    welcome_run, handed_over
):
    claimed_by(welcome_run, DEAD, seen_ago=None, claimed_ago=timedelta(seconds=5))

    assert dispatch_due_runs() == 0
    assert execute_run(run_id=welcome_run.pk) == ""


def test_a_run_claimed_outside_a_worker_waits_for_the_claim_timeout(welcome_run, handed_over):
    claimed_by(welcome_run, "", seen_ago=None, claimed_ago=timedelta(minutes=4))

    assert dispatch_due_runs() == 0
    assert dispatch_due_runs(now=timezone.now() + timedelta(minutes=1, seconds=1)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_a_lost_run_perform_it_once(studio, massage, alice, handed_over):
    automation(
        "client_books",
        actions=[
            email_client("Welcome"),
            {"kind": "create_task", "settings": {"title": "Call {client_name}"}},
        ],
    )
    book(massage)
    for event_id in handed_over.events:  # the event's task, held back by the test
        process_event(event_id=event_id)
    [run] = Run.objects.all()
    claimed_by(run, DEAD, seen_ago=LOST_AFTER * 3)
    outcomes = race(lambda _: execute_runs(run_ids=[run.pk]).get(run.pk, ""), range(8))

    assert sorted(outcomes) == [""] * 7 + [RunStatus.DONE]
    assert automation_emails() == 1
    assert ActionOutcome.objects.filter(run=run, status="done").count() == 2
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.DONE, 2)
