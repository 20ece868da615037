"""Runs happen once: duplicate tasks and deliveries, lost workers, retries, switching off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from automations import integrations
from automations.drafts import Draft
from automations.engine import process_event
from automations.execution import CLAIM_TIMEOUT, execute_run
from automations.models import MAX_ATTEMPTS, ActionOutcome, Run, RunReason, RunStatus
from automations.scheduling import REDISPATCH_AFTER, dispatch_due_runs
from automations.services import delete_automation, set_active, update_automation
from bookings_app.models import DomainEvent, Label, OutgoingEmail

from .builders import automation, book, email_client


def automation_emails() -> int:
    return OutgoingEmail.objects.filter(kind="automation").count()


@pytest.fixture
def welcome(massage, alice):
    return automation("client_books", actions=[email_client("Welcome")])


def test_it_sends_one_email_when_the_run_task_runs_twice(worker, welcome, alice, massage):
    book(massage)
    [run] = worker.process_events()

    assert execute_run(run_id=run.pk) == RunStatus.DONE
    assert execute_run(run_id=run.pk) == ""
    assert automation_emails() == 1


def test_it_makes_one_run_when_the_event_is_delivered_twice(worker, welcome, massage):
    book(massage)
    event = DomainEvent.objects.get(kind="booking.created")

    assert process_event(event_id=event.pk) == 1
    assert process_event(event_id=event.pk) == 0
    assert Run.objects.count() == 1


def test_it_does_not_run_a_run_before_it_is_due(worker, massage, alice):
    automation("client_books", delay_amount=1, delay_unit="hours")
    book(massage)
    [run] = worker.process_events()

    assert execute_run(run_id=run.pk) == ""
    assert Run.objects.get(pk=run.pk).status == RunStatus.SCHEDULED


def test_a_run_whose_worker_died_is_taken_over_and_its_done_email_not_sent_again(worker, massage, alice):
    automation(
        "client_books",
        actions=[
            email_client("Welcome"),
            {"kind": "create_task", "settings": {"title": "Call {client_name}"}},
        ],
    )
    book(massage)
    [run] = worker.process_events()
    execute_run(run_id=run.pk)
    # As if the worker had died after the e-mail, five minutes ago: the run is still "running".
    five_minutes_ago = timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1)
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        finished_at=None,
        claimed_at=five_minutes_ago,
        dispatched_at=five_minutes_ago,
    )
    ActionOutcome.objects.filter(run=run, position=2).delete()  # the task and its outcome had rolled back
    run.tasks.all().delete()

    assert dispatch_due_runs() == 1
    assert execute_run(run_id=run.pk) == RunStatus.DONE
    assert automation_emails() == 1
    assert run.tasks.count() == 1


def test_a_fresh_claim_is_left_to_its_worker(worker, welcome, massage):
    book(massage)
    [run] = worker.process_events()
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, claimed_at=timezone.now() - timedelta(minutes=1)
    )

    assert dispatch_due_runs() == 0
    assert execute_run(run_id=run.pk) == ""


def test_a_run_whose_worker_died_on_its_last_attempt_fails_with_the_reason(worker, welcome, massage):
    book(massage)
    [run] = worker.process_events()
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        attempts=MAX_ATTEMPTS,
        claimed_at=timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1),
    )

    dispatch_due_runs()

    run.refresh_from_db()
    assert (run.status, run.reason) == (RunStatus.FAILED, RunReason.WORKER_LOST)


def test_the_dispatcher_leaves_a_handed_over_run_alone_for_a_minute(worker, welcome, massage, handed_over):
    book(massage)
    [run] = worker.process_events()
    assert handed_over.runs == [run.pk]  # due at once: handed to a worker as it was made

    assert dispatch_due_runs() == 0
    assert dispatch_due_runs(now=timezone.now() + REDISPATCH_AFTER + timedelta(seconds=1)) == 1


@pytest.fixture
def flaky_loyalty(monkeypatch):
    """A loyalty app whose points service keeps failing."""
    calls = []

    def add_points(*, client, points, description):
        calls.append(client.email)
        raise ConnectionError("the points ledger is locked")

    monkeypatch.setattr(integrations.points_adder, "function", add_points)
    return calls


def test_a_failing_action_is_retried_with_back_off_then_fails_with_the_error(
    worker, massage, alice, flaky_loyalty
):
    automation(
        "client_books", actions=[email_client("Welcome"), {"kind": "add_points", "settings": {"points": 5}}]
    )
    book(massage)
    [run] = worker.process_events()
    attempted_at = timezone.now()
    worker.run_due(now=attempted_at)
    waits = []
    for _attempt in range(MAX_ATTEMPTS - 1):
        run.refresh_from_db()
        waits.append((run.due_at - attempted_at) / timedelta(minutes=1))
        attempted_at = run.due_at
        worker.run_due(now=attempted_at)

    run.refresh_from_db()
    assert waits == [1, 5, 25, 125]
    assert (run.status, run.reason, run.attempts) == (RunStatus.FAILED, RunReason.ACTION_FAILED, MAX_ATTEMPTS)
    assert run.last_error == "ConnectionError: the points ledger is locked"
    assert len(flaky_loyalty) == MAX_ATTEMPTS
    assert automation_emails() == 1
    assert list(run.outcomes.values_list("status", flat=True)) == ["done", "failed"]


def test_points_without_loyalty_fail_at_once_with_the_reason(worker, massage, alice, monkeypatch):
    monkeypatch.setattr(integrations.points_adder, "function", None)
    automation("client_books", actions=[{"kind": "add_points", "settings": {"points": 5}}])
    book(massage)

    [run] = worker.deliver()

    assert (run.status, run.reason, run.detail, run.attempts) == (
        RunStatus.FAILED,
        RunReason.ACTION_FAILED,
        "loyalty is not available",
        1,
    )


def test_turning_an_automation_off_skips_its_scheduled_runs_at_once(worker, massage, alice):
    reminder = automation("client_books", delay_amount=2, delay_unit="days")
    book(massage)
    [run] = worker.process_events()

    assert set_active(automation=reminder, active=False) == 1

    run.refresh_from_db()
    assert (run.status, run.reason) == (RunStatus.SKIPPED, RunReason.AUTOMATION_OFF)


def test_a_run_of_an_automation_switched_off_meanwhile_is_skipped_when_due(worker, massage, alice):
    reminder = automation("client_books", delay_amount=2, delay_unit="days")
    book(massage)
    [run] = worker.process_events()
    type(reminder).objects.filter(pk=reminder.pk).update(is_active=False)

    worker.run_due(now=run.due_at)

    run.refresh_from_db()
    assert (run.status, run.reason) == (RunStatus.SKIPPED, RunReason.AUTOMATION_OFF)
    assert automation_emails() == 0


def test_a_deleted_automation_keeps_its_run_log(worker, welcome, massage):
    book(massage)
    [run] = worker.deliver()

    delete_automation(automation=welcome)

    welcome.refresh_from_db()
    assert welcome.deleted_at is not None and not welcome.is_active
    assert list(welcome.runs.values_list("status", flat=True)) == [RunStatus.DONE]
    book(massage, weekday=2)
    assert worker.process_events() == []


def test_a_failure_of_one_run_never_blocks_the_others(worker, massage, alice, bob, flaky_loyalty):
    automation("client_books", actions=[{"kind": "add_points", "settings": {"points": 5}}], name="Points")
    automation("client_books", name="Welcome")
    book(massage)

    worker.deliver()

    assert sorted(Run.objects.values_list("automation__name", "status")) == [
        ("Points", RunStatus.SCHEDULED),
        ("Welcome", RunStatus.DONE),
    ]
    assert (
        Run.objects.get(automation__name="Points").last_error
        == "ConnectionError: the points ledger is locked"
    )


def test_an_action_moved_while_its_run_waits_for_a_retry_is_not_done_again(
    worker, massage, alice, flaky_loyalty, monkeypatch
):
    regular = Label.objects.create(name="Regular")
    welcome = automation(
        "client_books", actions=[email_client("Welcome"), {"kind": "add_points", "settings": {"points": 5}}]
    )
    book(massage)
    [run] = worker.process_events()
    worker.run_due(now=timezone.now())  # the e-mail is sent, the points fail: a retry waits
    # Meanwhile the owner puts a new first action before the two others, as the builder saves it.
    kept = Draft.from_automation(welcome).actions
    update_automation(
        automation=welcome, actions=[{"kind": "add_label", "settings": {"label": regular.pk}}, *kept]
    )
    credited = []
    monkeypatch.setattr(
        integrations.points_adder, "function", lambda **points: credited.append(points["client"])
    )

    run.refresh_from_db()
    worker.run_due(now=run.due_at)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert automation_emails() == 1
    assert len(credited) == 1 and list(alice.labels.all()) == [regular]
    assert sorted(run.outcomes.values_list("kind", "status")) == [
        ("add_label", "done"),
        ("add_points", "done"),
        ("email_client", "done"),
    ]
