"""Recording domain events: the hook other apps plug into (docs/architecture.md, "A booking's journey").

``record_event`` writes the outbox row, and one delivery for each consumer registered for its
kind (``event_kinds``), inside the caller's transaction; once that transaction commits, the
event goes to each consumer's task by name (unless the consumer is draining its backlog,
``core.draining``). A consumer whose hand-over is lost finds its delivery in its sweep
(``services.event_outbox``).
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Actor, Booking, BookingSource, Client, DomainEvent, EventDelivery, Service, Session
from ..plug_ins.event_kinds import Consumer, consumers_of
from .draining import is_draining
from .hand_over import send_now


def record_event(
    kind: str,
    *,
    booking: Booking | None = None,
    session: Session | None = None,
    client: Client | None = None,
    service: Service | None = None,
    payload: dict | None = None,
    key: str | None = None,
    occurred_at: datetime | None = None,
    actor: str | None = None,
    actor_user=None,
) -> DomainEvent | None:
    """Write one event; with a ``key`` a second call is a no-op that returns None.

    ``actor`` says who acted (a team member when ``actor_user`` is given, else Rendez itself).
    """
    session = session or (booking.session if booking else None)
    event = DomainEvent(
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        booking=booking,
        session=session,
        client=client or (booking.client if booking else None),
        service=service or (booking.service if booking else session.service if session else None),
        payload=payload or {},
        key=key,
        actor=actor or (Actor.TEAM if actor_user is not None else Actor.SYSTEM),
        actor_user=actor_user,
    )
    consumers = consumers_of(kind)
    if key is None:
        _save(event, consumers)
    else:
        try:
            with transaction.atomic():
                _save(event, consumers)
        except IntegrityError:
            return None
    for consumer in consumers:
        transaction.on_commit(lambda consumer=consumer: hand_over_event(consumer, event.pk))
    return event


def hand_over_event(consumer: Consumer, event_id: int) -> None:
    """The committed event to the consumer's task, unless the consumer is draining its backlog
    and will find the event itself (``core.draining``)."""
    if consumer.drains and is_draining(consumer.name):
        return
    send_now(consumer.task, event_id)


def _save(event: DomainEvent, consumers: list[Consumer]) -> None:
    event.save()
    EventDelivery.objects.bulk_create(
        EventDelivery(consumer=consumer.name, event=event) for consumer in consumers
    )


def actor_for_source(source: str) -> str:
    """A booking made online was made by its client; any other by the team."""
    return Actor.CLIENT if source == BookingSource.ONLINE else Actor.TEAM
