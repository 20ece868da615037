"""Booking requests as the owner's inbox shows them, and the overlap that blocks approving one."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..models import Booking, BookingStatus, Session, SessionStatus

DECIDED_DAYS = 30


def confirmed_sessions_overlapping(
    *, staff_id: int, blocked_start: datetime, blocked_end: datetime, excluding: int | None
) -> QuerySet[Session]:
    """Confirmed sessions of the staff member whose time, buffers included, overlaps
    [blocked_start, blocked_end), other than session ``excluding``. Takes values or ``OuterRef``\\ s."""
    return Session.objects.filter(
        staff_id=staff_id,
        status=SessionStatus.SCHEDULED,
        blocked_start__lt=blocked_end,
        blocked_end__gt=blocked_start,
    ).exclude(pk=excluding)


def with_conflicts(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Each booking with what its inbox row shows, and ``has_conflict``: a confirmed session of
    the same staff member overlaps its time, so approving it would be refused."""
    confirmed_overlap = confirmed_sessions_overlapping(
        staff_id=OuterRef("session__staff_id"),
        blocked_start=OuterRef("session__blocked_start"),
        blocked_end=OuterRef("session__blocked_end"),
        excluding=OuterRef("session_id"),
    )
    return bookings.select_related("client", "service", "session__staff", "decided_by").annotate(
        has_conflict=Exists(confirmed_overlap)
    )


def inbox_requests(*, decided: bool = False, now: datetime | None = None) -> QuerySet[Booking]:
    """Waiting requests, soonest first; or, ``decided``, those answered in the last 30 days,
    latest first; each with ``has_conflict``."""
    if not decided:
        rows = Booking.objects.filter(status=BookingStatus.REQUESTED).order_by("session__start", "pk")
    else:
        since = (now or timezone.now()) - timedelta(days=DECIDED_DAYS)
        rows = Booking.objects.filter(decided_at__gte=since).order_by("-decided_at", "-pk")
    return with_conflicts(rows)


def requests_ever() -> QuerySet[Booking]:
    """Bookings that are, or were, requests, with what their inbox row shows."""
    return with_conflicts(
        Booking.objects.filter(Q(status=BookingStatus.REQUESTED) | Q(decided_at__isnull=False))
    )


def waiting_request_count() -> int:
    """How many requests wait for an answer (one query)."""
    return Booking.objects.filter(status=BookingStatus.REQUESTED).count()
