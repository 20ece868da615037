"""Booking limits per client (the owner's settings): at most N upcoming bookings, N a day, N a week.

Checked inside the booking's transaction under a lock on the client's row, so two bookings
made at once by one client are counted one after the other and never both slip under a limit.
Clients booking online are held to them; the team may book past them.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..core.errors import BookingError
from ..models import LIVE_STATUSES, Booking, Business, Client


class BookingLimitReached(BookingError):
    default_message = _("You have reached the number of bookings allowed.")


def check_booking_limits(
    *, client: Client, start: datetime, now: datetime, business: Business | None = None
) -> None:
    """Lock the client's row, then raise BookingLimitReached if one more booking at ``start`` is too many.

    Call inside the booking's transaction, before the booking is created.
    """
    business = business or Business.current()
    limits = (business.max_upcoming_bookings, business.max_bookings_per_day, business.max_bookings_per_week)
    if not any(limits):
        return
    Client.objects.select_for_update().filter(pk=client.pk).first()
    live = Booking.objects.filter(client=client, status__in=LIVE_STATUSES)
    if business.max_upcoming_bookings:
        upcoming = live.filter(session__start__gt=now).count()
        if upcoming >= business.max_upcoming_bookings:
            raise BookingLimitReached(
                ngettext(
                    "You may have at most %(limit)d upcoming booking. Cancel it or wait until it is over.",
                    "You may have at most %(limit)d upcoming bookings. Cancel one or wait until one is over.",
                    business.max_upcoming_bookings,
                )
                % {"limit": business.max_upcoming_bookings}
            )
    day_start = _local_midnight(start, business)
    if business.max_bookings_per_day:
        that_day = live.filter(_between(day_start, 1)).count()
        if that_day >= business.max_bookings_per_day:
            raise BookingLimitReached(
                ngettext(
                    "You may book at most %(limit)d session a day.",
                    "You may book at most %(limit)d sessions a day.",
                    business.max_bookings_per_day,
                )
                % {"limit": business.max_bookings_per_day}
            )
    if business.max_bookings_per_week:
        week_start = _local_midnight(day_start - timedelta(days=day_start.weekday()), business)
        that_week = live.filter(_between(week_start, 7)).count()
        if that_week >= business.max_bookings_per_week:
            raise BookingLimitReached(
                ngettext(
                    "You may book at most %(limit)d session a week.",
                    "You may book at most %(limit)d sessions a week.",
                    business.max_bookings_per_week,
                )
                % {"limit": business.max_bookings_per_week}
            )


def _local_midnight(moment: datetime, business: Business) -> datetime:
    local = moment.astimezone(business.tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None).replace(tzinfo=business.tz)


def _between(local_start: datetime, days: int) -> Q:
    """Sessions starting in the ``days`` local calendar days from ``local_start`` (DST-safe)."""
    end_naive = local_start.replace(tzinfo=None) + timedelta(days=days)
    return Q(session__start__gte=local_start, session__start__lt=end_naive.replace(tzinfo=local_start.tzinfo))
