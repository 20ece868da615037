"""Frequency limits: every time, once per client, once per client every N days — also under races."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from automations.engine import process_event
from automations.execution import execute_run
from automations.models import Run, RunReason, RunStatus
from bookings_app.models import DomainEvent, EventKind, OutgoingEmail
from bookings_app.services.client_matching import ClientDetails
from tests.support.races import race

from .builders import automation, book

BOB = ClientDetails(email="bob@client.test", first_name="Bob")


def statuses() -> list[tuple[str, str, str]]:
    return [(run.client.first_name, run.status, run.reason) for run in Run.objects.order_by("pk")]


def test_every_time_acts_on_each_booking(worker, massage, alice):
    automation("client_books")
    book(massage, weekday=1)
    book(massage, weekday=2)

    worker.deliver()

    assert statuses() == [("Alice", "done", ""), ("Alice", "done", "")]


def test_once_per_client_acts_once_for_each_client_and_says_why_not_again(worker, massage, alice, bob):
    automation("client_books", frequency="once_per_client")
    book(massage, weekday=1)
    book(massage, weekday=2)
    book(massage, BOB, weekday=3)

    worker.deliver()

    assert statuses() == [
        ("Alice", "done", ""),
        ("Alice", "skipped", RunReason.FREQUENCY_LIMIT),
        ("Bob", "done", ""),
    ]


def test_once_every_seven_days_acts_again_after_the_period(worker, massage, alice):
    automation("client_books", frequency="once_per_client_per_days", frequency_days=7)
    now = timezone.now()
    for days_later, weekday in ((0, 1), (3, 2), (8, 3)):
        book(massage, weekday=weekday)
        worker.deliver(now=now + timedelta(days=days_later))

    assert statuses() == [
        ("Alice", "done", ""),
        ("Alice", "skipped", RunReason.FREQUENCY_LIMIT),
        ("Alice", "done", ""),
    ]


CLIENTS = 6 if connection.vendor == "postgresql" else 3


@pytest.mark.django_db(transaction=True)
def test_two_events_for_one_client_processed_at_once_make_one_run(studio, massage, handed_over):
    """Each client books twice; all events are processed by racing threads at the same moment."""
    automation("client_books", frequency="once_per_client")
    for n in range(CLIENTS):
        details = ClientDetails(email=f"client{n}@race.test", first_name=f"Client {n}")
        book(massage, details, weekday=1, at=f"{9 + n:02}:00")
        book(massage, details, weekday=2, at=f"{9 + n:02}:00")
    event_ids = list(DomainEvent.objects.filter(kind=EventKind.BOOKING_CREATED).values_list("pk", flat=True))
    assert sum(race(lambda event_id: process_event(event_id=event_id), event_ids)) == 2 * CLIENTS

    for client_id in {run.client_id for run in Run.objects.all()}:
        runs = Run.objects.filter(client_id=client_id)
        assert sorted(runs.values_list("status", flat=True)) == [RunStatus.SCHEDULED, RunStatus.SKIPPED]
    for run_id in handed_over.runs:
        execute_run(run_id=run_id)
    assert OutgoingEmail.objects.filter(kind="automation").count() == CLIENTS
    assert Run.objects.filter(status=RunStatus.DONE).count() == CLIENTS
