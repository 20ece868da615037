"""The demo's waitlist: a Vinyasa yoga session made small and full, three clients in line and the
first of them holding a seat offered after a cancellation (docs/waitlist.md)."""

from datetime import timedelta

from django.utils import timezone

from ..core.errors import BookingError
from ..models import Booking, Client, Service, Session
from ..services import waitlist
from ..services.bookings import book_class_seat
from ..services.changes import cancel_booking
from ..services.client_matching import ClientDetails
from ..services.session_cancellation import cancel_session

SEATS = 4


def seed_waitlist(clients: list[Client], services: dict[str, Service]) -> int:
    """Returns how many bookings and entries were made."""
    yoga = services["vinyasa-yoga"]
    Service.objects.filter(pk=yoga.pk).update(waitlist_enabled=True, waitlist_max=6)
    yoga.refresh_from_db()
    empty = Session.objects.filter(
        service=yoga, start__gt=timezone.now() + timedelta(days=3), seats_taken=0
    ).order_by("start")
    session = empty.first()
    if session is None or len(clients) < SEATS + 3:
        return 0
    made = 0
    try:
        session = waitlist.change_session_capacity(session=session, capacity=SEATS)
        for client in clients[:SEATS]:
            book_class_seat(session=session, details=_details(client))
            made += 1
        for client in clients[-3:]:
            waitlist.join_waitlist(session=session, details=_details(client))
            made += 1
        leaving = Booking.objects.filter(session=session).order_by("pk").first()
        cancel_booking(booking=leaving, by_client=True)  # the first in line is offered the seat
    except BookingError:
        pass
    return made


def _details(client: Client) -> ClientDetails:
    return ClientDetails(
        email=client.email,
        first_name=client.first_name,
        last_name=client.last_name,
        language=client.language,
        time_zone=client.time_zone,
    )


def seed_cancelled_class(clients: list[Client], services: dict[str, Service], owner) -> int:
    """A Vinyasa session next week the owner cancelled (the teacher is ill), its two clients told
    with her message; the calendar no longer shows it, the clients' bookings do."""
    yoga = services["vinyasa-yoga"]
    session = (
        Session.objects.filter(service=yoga, start__gt=timezone.now() + timedelta(days=6), seats_taken=0)
        .order_by("start")
        .first()
    )
    if session is None or len(clients) < 2:
        return 0
    try:
        for client in clients[4:6]:
            book_class_seat(session=session, details=_details(client))
        cancel_session(
            session=session, by=owner, message="Our teacher is ill. Sorry! Join us on Thursday instead."
        )
    except BookingError:
        return 0
    return 2
