"""The owner's Clients pages: the list with each client's visits, and one client's record."""

from datetime import datetime

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
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
    """Each client with ``visits`` (check-ins), ``last_visit`` and ``upcoming`` (live bookings to come).

    Correlated subqueries rather than a join grouped by client: the database works them out for
    the rows of the page it returns (read in name order from ``client_name_idx``), not for every
    booking of every client before sorting, so the list costs the same however long the past.
    """
    bookings = Booking.objects.filter(client=OuterRef("pk")).order_by().values("client")
    checked_in = bookings.filter(attendance=Attendance.CHECKED_IN)
    to_come = bookings.filter(status__in=LIVE_STATUSES, session__start__gte=now or timezone.now())
    return clients.annotate(
        visits=Coalesce(Subquery(checked_in.annotate(n=Count("pk")).values("n")), 0),
        last_visit=Subquery(checked_in.annotate(last=Max("session__start")).values("last")),
        upcoming=Coalesce(Subquery(to_come.annotate(n=Count("pk")).values("n")), 0),
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
