"""Bookings a membership paid for that it no longer covers (docs/plans.md, "Bookings inside a
freeze or after the end").

A freeze, a cancellation at once and a lapse leave the membership unable to pay for some
sessions already booked with it. Those bookings are cancelled as the team cancels a booking
(``changes.cancel_booking``: the seat freed and the waitlist moved in the same transaction, the
session given back to the membership's count, the client e-mailed), with the reason in the
client's language. Call inside the change's transaction, with the membership's row locked:
a booking made with it meanwhile waits for that lock and is then refused by
``membership_refusal``; each booking is locked before it is read again, so a client cancelling
it at the same moment cancels it once.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from ..core.errors import InvalidTransition
from ..mail.recipients import language_for
from ..models import Booking, BookingStatus, Business, ClientPlan, MembershipFreeze
from .changes import cancel_booking

FROZEN = "membership_frozen"
ENDED = "membership_ended"


def cancel_bookings_in_freeze(
    *, membership: ClientPlan, freeze: MembershipFreeze, by=None, now: datetime
) -> list[Booking]:
    """Cancel the membership's bookings whose session, not started yet, falls inside ``freeze``."""
    inside = Q(session__start__gte=freeze.starts_at, session__start__lt=freeze.ends_at)
    return _cancel(membership, inside, reason=FROZEN, by=by, now=now)


def cancel_bookings_after_end(*, membership: ClientPlan, by=None, now: datetime) -> list[Booking]:
    """Cancel the membership's bookings whose session, not started yet, is at or after its end
    (``period_end``: it is cancelled or lapsed and pays for nothing from then on)."""
    return _cancel(membership, Q(session__start__gte=membership.period_end), reason=ENDED, by=by, now=now)


def _cancel(membership: ClientPlan, where: Q, *, reason: str, by, now: datetime) -> list[Booking]:
    paid_by_it = Q(
        plan_credit__client_plan_id=membership.pk,
        plan_credit__returned_at__isnull=True,
        status=BookingStatus.CONFIRMED,
        attendance="",
        session__start__gt=now,
    )
    wanted = list(Booking.objects.filter(paid_by_it, where).order_by("pk").values_list("pk", flat=True))
    if not wanted:
        return []
    locked = Booking.objects.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk")
    still = set(locked.filter(paid_by_it, where).values_list("pk", flat=True))
    cancelled = []
    for booking in (
        Booking.objects.select_related("client", "session", "service").filter(pk__in=still).order_by("pk")
    ):
        try:
            cancelled += cancel_booking(
                booking=booking,
                by_client=False,
                by=by,
                now=now,
                message=_reason(membership, booking, reason),
                reason=reason,
            )
        except InvalidTransition:  # changed between the read and its lock: nothing to do
            continue
    return cancelled


def _reason(membership: ClientPlan, booking: Booking, reason: str) -> str:
    """What the client is told, in the language their e-mail is written in."""
    with translation.override(language_for(booking.client, Business.current())):
        if reason == FROZEN:
            text = gettext(
                "Your membership “%(plan)s” is frozen on the day of this session, so this booking is "
                "cancelled and its place given back."
            )
        else:
            text = gettext(
                "Your membership “%(plan)s” has ended before this session, so this booking is cancelled "
                "and its place given back. You are welcome to book again and pay another way."
            )
        return text % {"plan": membership.plan.name}
