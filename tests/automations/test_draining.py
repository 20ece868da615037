"""Behind, a worker drains the backlog a batch at a time and new events need no task of their
own; the flag goes down before the drainer's last look, so every event has a task or a drainer."""

import threading

import pytest
from django.db import connection

from automations.engine import EVENT_BATCH, EVENT_CONSUMER, drain_events, process_event
from automations.models import Run, RunStatus
from bookings_app.core import draining
from bookings_app.core.events import record_event
from bookings_app.models import Client, EventKind, OutgoingEmail
from bookings_app.services.event_outbox import unprocessed

from .builders import automation, email_client, later


def clients(count: int, *, prefix: str) -> list[Client]:
    return Client.objects.bulk_create(
        Client(first_name=f"Client {n}", email=f"{prefix}{n}@drain.test") for n in range(count)
    )


def waiting() -> set[int]:
    return set(unprocessed(EVENT_CONSUMER).values_list("event_id", flat=True))


def test_while_the_workers_drain_a_new_event_gets_no_task_of_its_own(
    studio, handed_over, django_capture_on_commit_callbacks
):
    [alice, bob] = clients(2, prefix="flag")
    draining.keep_draining(EVENT_CONSUMER)
    with django_capture_on_commit_callbacks(execute=True):
        drained = record_event(EventKind.BOOKING_CREATED, client=alice)
    draining.stop_draining(EVENT_CONSUMER)
    with django_capture_on_commit_callbacks(execute=True):
        handed = record_event(EventKind.BOOKING_CREATED, client=bob)

    assert handed_over.events == [handed.pk]
    assert waiting() == {drained.pk, handed.pk}  # both wait, for the drainer or for their task


def test_a_full_batch_behind_drains_every_waiting_event_and_lowers_the_flag(studio, handed_over):
    automation("client_books", actions=[email_client()])
    events = [
        record_event(EventKind.BOOKING_CREATED, client=client).pk
        for client in clients(EVENT_BATCH * 2 + 7, prefix="burst")
    ]

    made = process_event(event_id=events[0], execute_due_now=True, batch=EVENT_BATCH, now=later())

    assert made == len(events)
    assert waiting() == set()
    assert Run.objects.filter(status=RunStatus.DONE).count() == len(events)
    assert OutgoingEmail.objects.filter(kind="automation").count() == len(events)
    assert not draining.is_draining(EVENT_CONSUMER)
    assert handed_over.drains == 0


def test_a_batch_that_is_not_full_does_not_drain(studio, handed_over):
    events = [record_event(EventKind.BOOKING_CREATED, client=c).pk for c in clients(3, prefix="few")]

    process_event(event_id=events[0], execute_due_now=True, batch=EVENT_BATCH, now=later())

    assert waiting() == set()
    assert not draining.is_draining(EVENT_CONSUMER)


def test_a_drain_out_of_time_hands_over_to_another_task_with_the_flag_up(studio, handed_over):
    for client in clients(EVENT_BATCH + 1, prefix="long"):
        record_event(EventKind.BOOKING_CREATED, client=client)

    drain_events(batch=EVENT_BATCH, budget_seconds=0)

    assert handed_over.drains == 1
    assert len(waiting()) == 1  # the next task takes it
    assert draining.is_draining(EVENT_CONSUMER)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(120)
def test_racing_bookings_against_drainers_leave_no_event_without_a_task_or_a_drainer(studio, handed_over):
    """Clients book one by one while two workers drain, again and again: each event is either
    processed by a drainer or was handed to a task of its own, never neither."""
    automation("client_books", actions=[email_client()])
    bookers = clients(400, prefix="race")
    booking_done = threading.Event()
    failures: list[BaseException] = []

    def book() -> None:
        try:
            for client in bookers:
                record_event(EventKind.BOOKING_CREATED, client=client)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            booking_done.set()
            connection.close()

    def drain() -> None:
        try:
            while not booking_done.is_set():
                drain_events(batch=7)
            drain_events(batch=7)
        except BaseException as error:  # noqa: BLE001
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book), threading.Thread(target=drain), threading.Thread(target=drain)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    left = waiting()
    assert left <= set(handed_over.events)  # what no drainer took has its own task
    recorded = set(Run.objects.values_list("event_id", flat=True)) | left
    assert len(recorded) == len(bookers)
    assert len(handed_over.events) < len(bookers)  # and the drainers spared some tasks
    assert not draining.is_draining(EVENT_CONSUMER)
