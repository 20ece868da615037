"""From the outbox to the engine: hand-over after commit, the sweep, and a broker outage."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from automations import tasks
from automations.engine import EVENT_CONSUMER
from automations.execution import execute_run
from automations.models import Run, RunStatus
from automations.scheduling import EVENT_GRACE, process_pending_events
from bookings_app.models import DomainEvent, EventKind, OutgoingEmail
from bookings_app.services.event_outbox import is_unprocessed

from .builders import automation, book

LATER = EVENT_GRACE + timedelta(seconds=1)


def test_it_hands_each_recorded_event_to_a_worker_after_commit(
    django_capture_on_commit_callbacks, handed_over, massage, alice
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(massage)

    assert handed_over.events == [DomainEvent.objects.get(booking=booking, kind=EventKind.BOOKING_CREATED).pk]


def test_the_sweep_processes_events_whose_task_was_lost(worker, massage, alice):
    automation("client_books")
    book(massage)

    assert process_pending_events() == 0  # younger than the grace: the task is on its way
    assert process_pending_events(now=timezone.now() + LATER) == 1
    assert process_pending_events(now=timezone.now() + LATER) == 0
    assert Run.objects.count() == 1


@contextmanager
def broker_down():
    """Point Celery at a port where no broker answers, as when Redis is down."""
    app = current_app._get_current_object()
    saved = app.conf.broker_url

    def reconnect(url: str) -> None:
        # Forget the app's pools (kombu keeps them per broker address, open, for the way back).
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    reconnect("redis://127.0.0.1:9/0")
    try:
        yield
    finally:
        reconnect(saved)


@pytest.mark.django_db(transaction=True)
def test_bookings_made_while_the_broker_is_down_are_processed_once_it_is_back(
    studio, massage, to_the_broker, handed_over, caplog
):
    automation("client_books")
    to_the_broker(tasks.process_event.name)  # the real hand-over, to a broker that is down

    with broker_down():
        booking = book(massage)  # the client's booking goes through

    event = DomainEvent.objects.get(booking=booking, kind=EventKind.BOOKING_CREATED)
    assert is_unprocessed(EVENT_CONSUMER, event.pk)
    assert f"could not hand automations.tasks.process_event({event.pk},) to the workers" in caplog.text
    assert process_pending_events(now=timezone.now() + LATER) == 1
    assert [execute_run(run_id=run_id) for run_id in handed_over.runs] == [RunStatus.DONE]
    assert OutgoingEmail.objects.filter(kind="automation", client=booking.client).count() == 1


def test_the_event_task_performs_the_runs_due_at_once_itself(handed_over, massage, alice):
    automation("client_books")
    booking = book(massage)
    event = DomainEvent.objects.get(booking=booking, kind=EventKind.BOOKING_CREATED)

    assert tasks.process_event(event.pk) == 1  # the task's body, as a worker runs it

    assert Run.objects.get().status == RunStatus.DONE and handed_over.runs == []
    assert OutgoingEmail.objects.filter(kind="automation").count() == 1
