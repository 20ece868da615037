"""Bursts: a worker takes waiting events along with its own, and executes due runs in batches
whose cost per run does not grow with the batch."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from automations import integrations
from automations.engine import BEHIND_AFTER, process_event
from automations.execution import execute_runs
from automations.models import ActionOutcome, Frequency, Run, RunReason, RunStatus
from bookings_app.core.events import record_event
from bookings_app.models import Client, EventKind, OutgoingEmail

from .builders import automation, email_client, later


def booked(count: int, *, prefix: str = "client") -> list[int]:
    """``count`` new clients booked: their "booking created" events, not processed yet."""
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {n}", email=f"{prefix}{n}@burst.test") for n in range(count)
    )
    return [record_event(EventKind.BOOKING_CREATED, client=client).pk for client in clients]


def due_runs(count: int, *, prefix: str) -> list[int]:
    """``count`` runs due now, made but not executed (the dispatcher's batch)."""
    event_ids = booked(count, prefix=prefix)
    for event_id in event_ids:
        process_event(event_id=event_id)
    return list(Run.objects.filter(event_id__in=event_ids).order_by("pk").values_list("pk", flat=True))


def queries_to_execute(run_ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        statuses = execute_runs(run_ids=run_ids)
    assert set(statuses.values()) == {RunStatus.DONE}
    return len(captured.captured_queries)


def test_it_takes_waiting_events_along_and_their_own_tasks_make_nothing(studio, handed_over):
    automation("client_books")
    event_ids = booked(5)

    assert process_event(event_id=event_ids[2], execute_due_now=True, batch=50, now=later()) == 5
    assert [process_event(event_id=event_id, execute_due_now=True, batch=50) for event_id in event_ids] == [
        0
    ] * 5
    assert Run.objects.filter(status=RunStatus.DONE).count() == 5
    assert OutgoingEmail.objects.filter(kind="automation").count() == 5
    assert ActionOutcome.objects.filter(status="done").count() == 5


def test_events_that_have_not_waited_stay_with_their_own_task(studio, handed_over):
    """While the workers keep up, one worker must not take every new event from the others."""
    automation("client_books")
    event_ids = booked(3)

    assert process_event(event_id=event_ids[0], execute_due_now=True, batch=50) == 1
    assert Run.objects.filter(event_id__in=event_ids[1:]).count() == 0


def test_a_late_task_takes_along_the_events_behind_it_however_new(studio, handed_over):
    """Its own event waited: the workers are behind, so the queue behind it goes in one batch,
    without waiting for those events to grow old too."""
    automation("client_books")
    alice, bob, carol = Client.objects.bulk_create(
        Client(first_name=name, email=f"{name}@burst.test") for name in ("Alice", "Bob", "Carol")
    )
    late = record_event(
        EventKind.BOOKING_CREATED, client=alice, occurred_at=timezone.now() - BEHIND_AFTER * 3
    ).pk
    fresh = [record_event(EventKind.BOOKING_CREATED, client=client).pk for client in (bob, carol)]

    assert process_event(event_id=late, execute_due_now=True, batch=50) == 3
    assert [process_event(event_id=event_id, execute_due_now=True, batch=50) for event_id in fresh] == [0, 0]
    assert OutgoingEmail.objects.filter(kind="automation").count() == 3


def test_an_event_committed_after_the_task_read_the_clock_is_performed_with_the_batch(studio, handed_over):
    """A task reads the clock, then takes along the backlog: an event that committed in between
    is due all the same; its run was once left "scheduled", neither performed nor handed over,
    until beat's next dispatch (a burst through real workers hung on two such runs)."""
    automation("client_books")
    alice, bob = Client.objects.bulk_create(
        Client(first_name=name, email=f"{name}@burst.test") for name in ("Alice", "Bob")
    )
    task_started = timezone.now() - BEHIND_AFTER
    late = record_event(
        EventKind.BOOKING_CREATED, client=alice, occurred_at=task_started - BEHIND_AFTER * 3
    ).pk
    newer = record_event(EventKind.BOOKING_CREATED, client=bob).pk  # after the task's clock

    assert process_event(event_id=late, execute_due_now=True, batch=50, now=task_started) == 2
    assert dict(Run.objects.values_list("event_id", "status")) == {
        late: RunStatus.DONE,
        newer: RunStatus.DONE,
    }


def test_taking_the_events_behind_costs_the_same_queries_however_many(studio, handed_over):
    automation("client_books")
    counts = []
    for size in (2, 40):
        event_ids = booked(size, prefix=f"behind{size}")
        with CaptureQueriesContext(connection) as captured:
            assert process_event(event_id=event_ids[0], execute_due_now=True, batch=50, now=later()) == size
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


def test_it_keeps_the_frequency_limit_for_a_client_who_booked_twice_within_one_batch(studio, alice):
    automation("client_books", frequency=Frequency.ONCE_PER_CLIENT)
    first, second = (record_event(EventKind.BOOKING_CREATED, client=alice).pk for _ in range(2))

    process_event(event_id=first, execute_due_now=True, batch=50, now=later())

    assert sorted(Run.objects.values_list("event_id", "status", "reason")) == [
        (first, RunStatus.DONE, ""),
        (second, RunStatus.SKIPPED, RunReason.FREQUENCY_LIMIT),
    ]
    assert OutgoingEmail.objects.filter(kind="automation", client=alice).count() == 1


def test_a_batch_of_runs_costs_the_same_queries_however_large(studio):
    automation("client_books")
    one = queries_to_execute(due_runs(1, prefix="one"))
    ten = queries_to_execute(due_runs(10, prefix="ten"))
    forty = queries_to_execute(due_runs(40, prefix="forty"))

    assert one == ten == forty  # the rows of a batch are inserted together, kind by kind


def test_a_run_in_a_batch_is_executed_once_when_the_batch_comes_twice(studio):
    automation("client_books")
    run_ids = due_runs(3, prefix="twice")

    assert len(execute_runs(run_ids=run_ids)) == 3
    assert execute_runs(run_ids=run_ids) == {}
    assert OutgoingEmail.objects.filter(kind="automation").count() == 3


def test_a_failing_run_leaves_the_rest_of_its_batch_done_and_fails_once(studio, monkeypatch):
    """The batch rolls back and its runs go one by one; the failing action is not called a
    second time in the same attempt, and its run keeps the e-mail it sent before failing."""
    calls = []

    def add_points(*, client, points, description):
        calls.append(client.email)
        if client.email == "batch1@burst.test":
            raise ConnectionError("the points ledger is locked")

    monkeypatch.setattr(integrations.points_adder, "function", add_points)
    automation(
        "client_books", actions=[email_client("Welcome"), {"kind": "add_points", "settings": {"points": 5}}]
    )
    run_ids = due_runs(3, prefix="batch")

    statuses = execute_runs(run_ids=run_ids)

    assert sorted(statuses.values()) == [RunStatus.DONE, RunStatus.DONE, RunStatus.SCHEDULED]
    assert calls.count("batch1@burst.test") == 1
    assert OutgoingEmail.objects.filter(kind="automation").count() == 3
    failed = Run.objects.get(status=RunStatus.SCHEDULED)
    assert list(failed.outcomes.order_by("position").values_list("status", flat=True)) == ["done", "failed"]
    assert failed.last_error == "ConnectionError: the points ledger is locked"
