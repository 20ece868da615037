"""Loyalty reads cancellations from the outbox like any consumer: once, whoever delivers them."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connections

from bookings_app.models import DomainEvent, EventDelivery, EventKind
from bookings_app.services.changes import cancel_booking
from bookings_app.services.event_outbox import is_unprocessed
from loyalty.events import CONSUMER
from loyalty.models import EntryKind, LedgerEntry
from loyalty.selectors import balance_of
from loyalty.services import credit_points_for_ended_sessions, settle_event
from tests.factories import visit
from tests.support.loyalty import settle_cancellations

WORKERS = 10


def cancelled_visit(yoga, nina, alice, *, ago: timedelta = timedelta(hours=4)) -> DomainEvent:
    booking = visit(yoga, nina, alice, ago=ago)
    credit_points_for_ended_sessions()
    cancel_booking(booking=booking, by_client=False)
    return DomainEvent.objects.get(kind=EventKind.BOOKING_CANCELLED, booking=booking)


def test_settling_marks_the_event_processed_for_loyalty_alone(program, yoga, nina, alice):
    cancelled = cancelled_visit(yoga, nina, alice)
    assert settle_event(event_id=cancelled.pk) is True

    assert not is_unprocessed(CONSUMER, cancelled.pk)
    assert is_unprocessed("automations", cancelled.pk)  # automations keeps its own mark
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_delivered_one_cancellation_at_once_settle_it_once(program, yoga, nina, alice):
    cancelled = cancelled_visit(yoga, nina, alice)
    gate = threading.Barrier(WORKERS)

    def deliver(_worker: int) -> bool:
        try:
            gate.wait(timeout=30)
            return settle_event(event_id=cancelled.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        settled = list(pool.map(deliver, range(WORKERS)))

    assert settled.count(True) == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSED).count() == 1
    assert balance_of(alice) == 0


def test_cancellations_recorded_before_loyalty_read_the_outbox_are_handed_to_its_sweep(
    program, yoga, nina, alice, bob
):
    """Migration loyalty.0006 replaces the old beat scans: unsettled cancellations without a
    loyalty delivery get one; settled ones do not."""
    unsettled = cancelled_visit(yoga, nina, alice)
    settled = cancelled_visit(yoga, nina, bob, ago=timedelta(hours=8))  # nina teaches one at a time
    assert settle_event(event_id=settled.pk) is True
    EventDelivery.objects.filter(consumer=CONSUMER, event__in=[unsettled, settled]).delete()

    handing_over = import_module("loyalty.migrations.0006_settle_past_cancellations_through_the_outbox")
    handing_over.deliver_unsettled_cancellations(apps, schema_editor=None)
    handing_over.deliver_unsettled_cancellations(apps, schema_editor=None)

    assert list(EventDelivery.objects.filter(consumer=CONSUMER).values_list("event", flat=True)) == [
        unsettled.pk
    ]
    assert settle_cancellations() == 1
    assert (balance_of(alice), balance_of(bob)) == (0, 0)
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSED).count() == 2
