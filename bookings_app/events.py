"""Recording domain events: the hook other apps plug into (docs/architecture.md, "A booking's journey").

``record_event`` writes the outbox row inside the caller's transaction; once that
transaction commits, ``event_recorded`` is sent so a consumer (automations) can queue its
processing. A consumer that misses the signal finds the row in its sweep.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import Actor, Booking, BookingSource, Client, DomainEvent, Service, Session

event_recorded = Signal()
"""Sent after commit with ``event_id``; receivers must not raise."""


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
    if key is None:
        event.save()
    else:
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            return None
    transaction.on_commit(lambda: event_recorded.send(sender=DomainEvent, event_id=event.pk), robust=True)
    return event


def actor_for_source(source: str) -> str:
    """A booking made online was made by its client; any other by the team."""
    return Actor.CLIENT if source == BookingSource.ONLINE else Actor.TEAM
