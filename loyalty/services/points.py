"""Points: credited after a visit, taken back after a cancellation, adjusted by hand.

A booking earns once and is reversed once: partial unique constraints on the ledger
(``loyalty_entry_earned_once_per_booking``, ``loyalty_entry_reversed_once_per_booking``)
are the guard, so the beat scans and the cancellation task may overlap or repeat freely.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bookings_app.core.events import record_event
from bookings_app.mail.recipients import language_for
from bookings_app.models import Attendance, Booking, BookingStatus, Business, Client, SessionStatus, User

from ..entry_wording import CANCELLED, EARNED, booking_reason
from ..errors import DescriptionRequired, InvalidAmount, LoyaltyDisabled
from ..events import POINTS_EARNED
from ..models import EntryKind, LedgerEntry, Program
from ..notifications import queue_balance_changed, queue_points_earned
from .ledger import entry_exists, locked_balance, post_entry

CREDIT_LOOKBACK = timedelta(days=30)  # a session older than this is history, not a missed credit
SCAN_BATCH = 1000


def credit_points_for_ended_sessions(*, now: datetime | None = None) -> int:
    """Credit every booking whose session ended ``credit_delay`` ago (at most 30 days ago).

    A booking earns its service's points when the service is connected, the booking is
    confirmed and the client was not marked no-show. Each booking is credited in its own
    transaction, once: a second run finds nothing to do. Nothing happens while the program
    is off. Returns how many bookings were credited.
    """
    program = Program.current()
    if not program.is_enabled:
        return 0
    now = now or timezone.now()
    ended_before = now - program.credit_delay
    due = (
        _creditable_bookings()
        .filter(session__end__lte=ended_before, session__end__gte=ended_before - CREDIT_LOOKBACK)
        .exclude(Exists(LedgerEntry.objects.filter(booking=OuterRef("pk"), kind=EntryKind.EARNED)))
        .select_related("client", "service__loyalty_points", "session")
        .order_by("session__end", "pk")[:SCAN_BATCH]
    )
    return sum(1 for booking in due if credit_booking(booking=booking, program=program))


def _creditable_bookings() -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            service__loyalty_points__is_enabled=True,
        )
        .exclude(attendance=Attendance.NO_SHOW)
        .exclude(session__status=SessionStatus.CANCELLED)
    )


def credit_booking(*, booking: Booking, program: Program) -> LedgerEntry | None:
    """Credit one booking its service's points; None when it was credited before or no longer earns.

    Records "loyalty.points_earned" and stores the "points earned" e-mail in the same transaction.
    """
    with transaction.atomic():
        balance = locked_balance(booking.client)
        if not _creditable_bookings().filter(pk=booking.pk).exists():
            return None  # cancelled or marked no-show since the scan read it
        points = booking.service.loyalty_points.points
        with _in_clients_language(booking.client):
            description = _("%(service)s on %(date)s") % _booking_values(booking)
        try:
            entry = post_entry(
                balance=balance,
                points=points,
                kind=EntryKind.EARNED,
                booking=booking,
                description=description,
                reason=booking_reason(EARNED, booking),
            )
        except IntegrityError:
            if entry_exists(booking=booking, kind=EntryKind.EARNED):
                return None  # credited already: the unique constraint is the guard
            raise
        record_event(
            POINTS_EARNED, booking=booking, payload={"points": points, "balance": entry.balance_after}
        )
        queue_points_earned(entry=entry, booking=booking, program=program)
    return entry


def reverse_points_for_booking(*, booking: Booking) -> LedgerEntry | None:
    """One reversal entry for a cancelled booking that earned points; None if there is nothing to do.

    The balance never goes below zero: when the client already spent the points, only what
    the balance holds is taken back (possibly nothing) and the description says so.
    """
    with transaction.atomic():
        balance = locked_balance(booking.client)
        earned = LedgerEntry.objects.filter(
            booking=booking, kind=EntryKind.EARNED, booking__status=BookingStatus.CANCELLED
        ).first()
        if earned is None:
            return None
        taken_back = min(earned.points, balance.points)
        try:
            return post_entry(
                balance=balance,
                points=-taken_back,
                kind=EntryKind.REVERSED,
                booking=booking,
                description=_reversal_description(booking, earned=earned.points, taken_back=taken_back),
                reason=booking_reason(CANCELLED, booking, earned=earned.points, taken=taken_back),
            )
        except IntegrityError:
            if entry_exists(booking=booking, kind=EntryKind.REVERSED):
                return None  # reversed already
            raise


def _reversal_description(booking: Booking, *, earned: int, taken_back: int) -> str:
    with _in_clients_language(booking.client):
        description = _("Booking cancelled: %(service)s on %(date)s") % _booking_values(booking)
        if taken_back < earned:
            description += " — " + _(
                "only %(taken)d of %(earned)d points could be taken back; the rest were already spent."
            ) % {"taken": taken_back, "earned": earned}
    return description


@contextmanager
def _in_clients_language(client: Client) -> Iterator[None]:
    """Descriptions are written once, in the language of the client who reads them."""
    with translation.override(language_for(client, Business.current())):
        yield


def _booking_values(booking: Booking) -> dict[str, str]:
    """The service and the session's date in the client's time zone, in the active language."""
    day = timezone.localtime(booking.session.start, booking.client.tz or Business.current().tz)
    return {"service": booking.service.name, "date": date_format(day, "DATE_FORMAT")}


def adjust_points(*, client: Client, points: int, description: str, by: User | None) -> LedgerEntry:
    """Add (positive) or deduct (negative) points by hand, with a description the client sees.

    The client is told with the program's "balance changed" wording. Raises LoyaltyDisabled,
    InvalidAmount (zero or not a whole number), DescriptionRequired, InsufficientPoints (a
    deduction larger than the balance); the ledger is unchanged when it raises.
    """
    return _change_points(client=client, points=points, description=description, by=by, kind=EntryKind.MANUAL)


def give_points(*, client: Client, points: int, description: str) -> LedgerEntry:
    """Points an automation gives (always more than zero): told and refused like
    ``adjust_points``, and shown in the history as given by an automation, not by hand."""
    if isinstance(points, int) and points < 0:
        raise InvalidAmount()
    return _change_points(
        client=client, points=points, description=description, by=None, kind=EntryKind.AUTOMATION
    )


def _change_points(
    *, client: Client, points: int, description: str, by: User | None, kind: str
) -> LedgerEntry:
    if not Program.current().is_enabled:
        raise LoyaltyDisabled()
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        raise InvalidAmount()
    description = " ".join(str(description).split())
    if not description:
        raise DescriptionRequired()
    with transaction.atomic():
        balance = locked_balance(client)
        entry = post_entry(balance=balance, points=points, kind=kind, description=description, by=by)
        queue_balance_changed(entry=entry)
    return entry
