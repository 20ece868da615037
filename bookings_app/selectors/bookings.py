"""The owner's bookings list: which bookings a set of filters asks for."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from ..models import Booking
from .client_search import client_matches, search_words

NO_ATTENDANCE = "none"


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def bookings_for_list(wanted: dict, *, tz: ZoneInfo) -> QuerySet[Booking]:
    """The bookings ``wanted`` asks for, latest session first, each with what its row shows.

    ``wanted`` holds the valid filters (missing ones do not narrow): ``date_from`` and
    ``date_to`` (days in ``tz``, both included), ``service``, ``staff``, ``status``,
    ``attendance`` ("none" for not recorded), ``paid`` ("paid" or "unpaid") and ``q``: every
    word matches the client (the client search's rule) or is the booking's code.
    """
    bookings = Booking.objects.select_related("client", "service", "session__staff")
    if wanted.get("date_from"):
        bookings = bookings.filter(session__start__gte=_local_midnight(wanted["date_from"], tz))
    if wanted.get("date_to"):
        day_after = wanted["date_to"] + timedelta(days=1)
        bookings = bookings.filter(session__start__lt=_local_midnight(day_after, tz))
    if wanted.get("service"):
        bookings = bookings.filter(service=wanted["service"])
    if wanted.get("staff"):
        bookings = bookings.filter(session__staff=wanted["staff"])
    if wanted.get("status"):
        bookings = bookings.filter(status=wanted["status"])
    if wanted.get("attendance"):
        attendance = wanted["attendance"]
        bookings = bookings.filter(attendance="" if attendance == NO_ATTENDANCE else attendance)
    if wanted.get("paid"):
        bookings = bookings.filter(paid_at__isnull=wanted["paid"] == "unpaid")
    for word in search_words(wanted.get("q") or ""):
        bookings = bookings.filter(client_matches(word, through="client__") | Q(code__iexact=word))
    return bookings.order_by("-session__start", "-pk")
