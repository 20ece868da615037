"""The owner's Clients pages: the list with each client's visits, and one client's record."""

from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from ..models import LIVE_STATUSES, Attendance, Booking, BookingStatus, Client, Label
from .client_search import search_clients


def clients_for_list(
    query: str = "", *, label: Label | None = None, now: datetime | None = None
) -> QuerySet[Client]:
    """The clients the search (the client search's rule) and ``label`` ask for, by name, each with
    ``visits`` (check-ins), ``last_visit`` and ``upcoming`` (live bookings to come); labels prefetched."""
    clients = Client.objects.all()
    if label is not None:
        clients = clients.filter(labels=label)
    return with_visits(search_clients(query, clients), now=now).prefetch_related("labels")


def clients_for_export(query: str = "", *, label: Label | None = None) -> QuerySet[Client]:
    """The clients of the list's search and label, by name, with their labels, for the CSV export."""
    clients = Client.objects.all()
    if label is not None:
        clients = clients.filter(labels=label)
    return search_clients(query, clients).prefetch_related("labels")


def with_visits(clients: QuerySet[Client], *, now: datetime | None = None) -> QuerySet[Client]:
    checked_in = Q(bookings__attendance=Attendance.CHECKED_IN)
    to_come = Q(bookings__status__in=LIVE_STATUSES, bookings__session__start__gte=now or timezone.now())
    return clients.annotate(
        visits=Count("bookings", filter=checked_in),
        last_visit=Max("bookings__session__start", filter=checked_in),
        upcoming=Count("bookings", filter=to_come),
    )


def client_totals(client: Client) -> dict[str, int]:
    """The client's ``visits``, ``no_shows`` and ``cancellations`` (one query)."""
    return client.bookings.aggregate(
        visits=Count("pk", filter=Q(attendance=Attendance.CHECKED_IN)),
        no_shows=Count("pk", filter=Q(attendance=Attendance.NO_SHOW)),
        cancellations=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
    )


def booking_history(client: Client) -> QuerySet[Booking]:
    """Every booking of the client, latest session first, with what a row shows."""
    return client.bookings.select_related("service", "session__staff").order_by("-session__start", "-pk")


def upcoming_bookings(client: Client, *, now: datetime | None = None) -> QuerySet[Booking]:
    """The client's live bookings still to come, soonest first."""
    live = client.bookings.filter(status__in=LIVE_STATUSES, session__start__gte=now or timezone.now())
    return live.select_related("service", "session__staff").order_by("session__start")
