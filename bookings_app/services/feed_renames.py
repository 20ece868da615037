"""A name a calendar feed shows, changed: the service's, the staff member's, a client's or the
business's. Each event of a feed's window that shows the name gets one more SEQUENCE, in the
transaction of the rename, so subscribed calendars take the new copy (docs/calendar-feeds.md).
One UPDATE per kind of event, however many."""

from datetime import datetime

from django.db.models import F
from django.utils import timezone

from ..models import Booking, Client, Service, Session, StaffMember
from ..selectors.calendar_feeds import feed_window_start


def show_renamed(
    *,
    service: Service | None = None,
    staff: StaffMember | None = None,
    client: Client | None = None,
    business: bool = False,
    now: datetime | None = None,
) -> None:
    """Raise the SEQUENCE of the events from the window's start on that name the one renamed.

    Team feeds (one event per session) show the service, the staff member, the clients and the
    business; a client's feed (one event per booking) the service, the staff member and the
    business, never the client's own name."""
    since = feed_window_start(now or timezone.now())
    sessions = Session.objects.filter(start__gte=since)
    bookings = Booking.objects.filter(session__start__gte=since)
    if service is not None:
        sessions, bookings = sessions.filter(service=service), bookings.filter(service=service)
    elif staff is not None:
        sessions, bookings = sessions.filter(staff=staff), bookings.filter(session__staff=staff)
    elif client is not None:
        sessions = sessions.filter(pk__in=bookings.filter(client=client).values("session_id"))
        bookings = bookings.none()
    elif not business:
        return
    sessions.update(sequence=F("sequence") + 1)
    bookings.update(sequence=F("sequence") + 1)
