"""The outbox knows its consumers: each app's kinds are named, each consumer has its own mark."""

from django.utils import timezone

from bookings_app.core.events import record_event
from bookings_app.models import DomainEvent, EventDelivery, EventKind
from bookings_app.plug_ins.event_kinds import consumers_of
from bookings_app.services.event_outbox import claim_events, is_unprocessed
from loyalty.events import POINTS_EARNED
from tests import factories as f


def test_each_app_names_its_own_kinds():
    assert DomainEvent(kind=EventKind.BOOKING_CREATED).get_kind_display() == "Booking created"
    assert DomainEvent(kind=POINTS_EARNED).get_kind_display() == "Loyalty points earned"
    assert DomainEvent(kind="gone.app_event").get_kind_display() == "gone.app_event"


def test_an_event_is_delivered_to_the_consumers_of_its_kind_only(db):
    assert [consumer.name for consumer in consumers_of(EventKind.BOOKING_CREATED)] == ["automations"]
    client = f.client("Alice")

    created = record_event(EventKind.BOOKING_CREATED, client=client)
    cancelled = record_event(EventKind.BOOKING_CANCELLED, client=client)

    assert list(created.deliveries.values_list("consumer", flat=True)) == ["automations"]
    assert sorted(cancelled.deliveries.values_list("consumer", flat=True)) == ["automations", "loyalty"]


def test_a_consumer_marks_only_its_own_delivery_and_claims_it_once(db):
    event = record_event(EventKind.BOOKING_CANCELLED, client=f.client("Alice"))

    assert claim_events("loyalty", event.pk, now=timezone.now()) == [event]
    assert claim_events("loyalty", event.pk, now=timezone.now()) == []

    assert not is_unprocessed("loyalty", event.pk)
    assert is_unprocessed("automations", event.pk)
    assert EventDelivery.objects.filter(processed_at__isnull=True).count() == 1


def test_an_event_recorded_twice_under_one_key_is_delivered_once(db):
    assert record_event(EventKind.SESSION_STARTED, key="session:1:started") is not None
    assert record_event(EventKind.SESSION_STARTED, key="session:1:started") is None

    assert EventDelivery.objects.count() == 1
