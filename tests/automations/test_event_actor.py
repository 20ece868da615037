"""Every domain event says who acted: the client, a team member (and which), or Rendez itself."""

from bookings_app.models import Actor, DomainEvent, EventKind
from bookings_app.services.changes import cancel_booking

from .builders import book


def _event(kind: str) -> DomainEvent:
    return DomainEvent.objects.filter(kind=kind).latest("pk")


def test_it_records_the_client_as_the_one_who_booked_online_and_cancelled(massage):
    booking = book(massage)
    cancel_booking(booking=booking, by_client=True)

    assert _event(EventKind.BOOKING_CREATED).actor == Actor.CLIENT
    cancelled = _event(EventKind.BOOKING_CANCELLED)
    assert (cancelled.actor, cancelled.actor_user) == (Actor.CLIENT, None)


def test_it_records_the_owner_who_cancelled(massage, olivia):
    cancel_booking(booking=book(massage), by_client=False, by=olivia)

    cancelled = _event(EventKind.BOOKING_CANCELLED)
    assert (cancelled.actor, cancelled.actor_user) == (Actor.TEAM, olivia)
