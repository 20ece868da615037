"""Booking limits per client: at most N upcoming bookings, N a day, N a week, for all services
(the business's settings) and for one service (its own settings).

Checked inside the booking's transaction under a lock on the client's row, so two bookings
made at once by one client are counted one after the other and never both slip under a limit.
Clients booking online are held to them; the team may book past them.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..core.errors import BookingError
from ..models import LIVE_STATUSES, Booking, Business, Client, Service


class BookingLimitReached(BookingError):
    default_message = _("You have reached the number of bookings allowed.")


def check_booking_limits(
    *,
    client: Client,
    start: datetime,
    now: datetime,
    business: Business | None = None,
    service: Service | None = None,
) -> None:
    """Lock the client's row, then raise BookingLimitReached if one more booking at ``start`` is too
    many: for all services (the business's limits), then for ``service`` alone (its own limits).

    Call inside the booking's transaction, before the booking is created.
    """
    business = business or Business.current()
    scopes = [(business, Booking.objects.all(), None)]
    if service is not None:
        scopes.append((service, Booking.objects.filter(service_id=service.pk), service.name))
    if not any(_limits(holder) for holder, _bookings, _name in scopes):
        return
    Client.objects.select_for_update().filter(pk=client.pk).first()
    for holder, bookings, service_name in scopes:
        live = bookings.filter(client=client, status__in=LIVE_STATUSES)
        _check_scope(holder, live, start=start, now=now, business=business, service_name=service_name)


def _limits(holder: Business | Service) -> tuple:
    return (holder.max_upcoming_bookings, holder.max_bookings_per_day, holder.max_bookings_per_week)


def _check_scope(holder, live, *, start, now, business, service_name) -> None:
    upcoming, per_day, per_week = _limits(holder)
    if upcoming and live.filter(session__start__gt=now).count() >= upcoming:
        raise BookingLimitReached(_message(UPCOMING, upcoming, service_name))
    day_start = _local_midnight(start, business)
    if per_day and live.filter(_between(day_start, 1)).count() >= per_day:
        raise BookingLimitReached(_message(PER_DAY, per_day, service_name))
    if per_week:
        week_start = _local_midnight(day_start - timedelta(days=day_start.weekday()), business)
        if live.filter(_between(week_start, 7)).count() >= per_week:
            raise BookingLimitReached(_message(PER_WEEK, per_week, service_name))


UPCOMING, PER_DAY, PER_WEEK = "upcoming", "day", "week"


def _message(kind: str, limit: int, service_name: str | None) -> str:
    if service_name is None:
        text = {
            UPCOMING: ngettext(
                "You may have at most %(limit)d upcoming booking. Cancel it or wait until it is over.",
                "You may have at most %(limit)d upcoming bookings. Cancel one or wait until one is over.",
                limit,
            ),
            PER_DAY: ngettext(
                "You may book at most %(limit)d session a day.",
                "You may book at most %(limit)d sessions a day.",
                limit,
            ),
            PER_WEEK: ngettext(
                "You may book at most %(limit)d session a week.",
                "You may book at most %(limit)d sessions a week.",
                limit,
            ),
        }[kind]
    else:
        text = {
            UPCOMING: ngettext(
                "You may have at most %(limit)d upcoming booking of “%(service)s”.",
                "You may have at most %(limit)d upcoming bookings of “%(service)s”.",
                limit,
            ),
            PER_DAY: ngettext(
                "You may book “%(service)s” at most %(limit)d time a day.",
                "You may book “%(service)s” at most %(limit)d times a day.",
                limit,
            ),
            PER_WEEK: ngettext(
                "You may book “%(service)s” at most %(limit)d time a week.",
                "You may book “%(service)s” at most %(limit)d times a week.",
                limit,
            ),
        }[kind]
    return text % {"limit": limit, "service": service_name}


def _local_midnight(moment: datetime, business: Business) -> datetime:
    local = moment.astimezone(business.tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None).replace(tzinfo=business.tz)


def _between(local_start: datetime, days: int) -> Q:
    """Sessions starting in the ``days`` local calendar days from ``local_start`` (DST-safe)."""
    end_naive = local_start.replace(tzinfo=None) + timedelta(days=days)
    return Q(session__start__gte=local_start, session__start__lt=end_naive.replace(tzinfo=local_start.tzinfo))
