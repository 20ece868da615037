"""Who is signed in, as the business knows them: a client's own record and bookings, a staff
member's record."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import LIVE_STATUSES, Booking, Client, StaffMember


def client_of(user) -> Client | None:
    """The client behind a signed-in account; None for an account that never booked."""
    return Client.objects.filter(user=user).first()


def staff_member_of(user) -> StaffMember | None:
    """The staff member record of a team account, or None."""
    return StaffMember.objects.filter(user=user).first()


def _still_to_come(now: datetime | None) -> Q:
    return Q(status__in=LIVE_STATUSES, session__end__gt=now or timezone.now())


def own_upcoming_bookings(client: Client, *, now: datetime | None = None) -> QuerySet[Booking]:
    """The client's live bookings whose session has not ended, soonest first."""
    mine = Booking.objects.filter(client=client).select_related("service", "session__staff")
    return mine.filter(_still_to_come(now)).order_by("session__start", "pk")


def own_past_bookings(client: Client, *, now: datetime | None = None) -> QuerySet[Booking]:
    """The client's other bookings (ended, cancelled, declined), latest first."""
    mine = Booking.objects.filter(client=client).select_related("service", "session__staff")
    return mine.exclude(_still_to_come(now)).order_by("-session__start", "-pk")
