"""The team cancels a class or course session: the teacher is ill, the room is flooded.

Every client booked in it is cancelled as the team cancels a booking (told by e-mail with the
team's message, paid online refunded in full, a pack's credit and a discount code's use given
back), a place held for a payment is released, and the waitlist is closed, or, for a course
whose line lived on this session, moved to the course's next session.

Locks follow the booking verbs' order (a booking, then its session): the session's bookings are
locked first, then the session, which is marked cancelled at once so that no booking, offer or
accept can take a seat in it after this transaction; then the bookings are read again, for
those made while we waited for the session's lock.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import InvalidTransition
from ..core.events import record_event
from ..mail.booking_emails import queue_booking_email
from ..mail.waitlist_emails import queue_session_cancelled_email
from ..models import (
    LIVE_WAITLIST_STATUSES,
    Actor,
    Booking,
    BookingStatus,
    EventKind,
    ServiceKind,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from ..web.links import manage_url
from .discounts import give_back_unless_charged
from .payments import refund_for_cancellation, release_hold
from .plans import return_credit_for_cancellation
from .waitlist import line_session_id

CANCELLABLE = (BookingStatus.CONFIRMED, BookingStatus.REQUESTED)


@dataclass(frozen=True)
class CancelledSession:
    """What cancelling a session did, for the team's confirmation."""

    bookings: int
    holds_released: int
    refunds: int
    waitlist_closed: int
    waitlist_moved_to: Session | None


def cancel_session(
    *, session: Session, by, message: str = "", notify: bool = True, now: datetime | None = None
) -> CancelledSession:
    """Cancel a scheduled class or course session that has not started.

    Raises InvalidTransition (an appointment, already cancelled, or started)."""
    now = now or timezone.now()
    if session.service.kind == ServiceKind.APPOINTMENT:
        raise InvalidTransition(_("An appointment is cancelled from its booking."))
    with transaction.atomic():
        _lock_bookings(session)
        session = Session.objects.select_for_update().select_related("service").get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise InvalidTransition(_("This session is already cancelled."))
        if session.start <= now:
            raise InvalidTransition(_("This session has started: it can no longer be cancelled."))
        was_line = line_session_id(session) == session.pk
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED, seats_taken=0, sequence=F("sequence") + 1
        )
        bookings = _lock_bookings(session)
        holds = [b for b in bookings if b.status == BookingStatus.AWAITING_PAYMENT]
        for booking in holds:
            release_hold(booking_id=booking.pk, reason="session_cancelled", now=now)
        refunds = 0
        cancelled = [b for b in bookings if b.status in CANCELLABLE and not b.attendance]
        for booking in cancelled:
            refunds += _cancel_booking(booking, by=by, message=message, notify=notify, now=now)
        closed, moved_to = _close_or_move_line(
            session, was_line=was_line, message=message, notify=notify, now=now
        )
    return CancelledSession(
        bookings=len(cancelled),
        holds_released=len(holds),
        refunds=refunds,
        waitlist_closed=closed,
        waitlist_moved_to=moved_to,
    )


def _lock_bookings(session: Session) -> list[Booking]:
    return list(
        Booking.objects.select_for_update(of=("self",))
        .select_related("session", "service", "client")
        .filter(session_id=session.pk)
        .order_by("pk")
    )


def _cancel_booking(booking: Booking, *, by, message: str, notify: bool, now: datetime) -> int:
    """The team cancels one booking of the session; returns how many refunds it asked for."""
    booking.status, booking.cancelled_at, booking.withdrawn = BookingStatus.CANCELLED, now, False
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "withdrawn", "sequence", "updated_at"])
    record_event(
        EventKind.BOOKING_CANCELLED,
        booking=booking,
        payload={"by_client": False, "session_cancelled": True},
        actor=Actor.TEAM,
        actor_user=by,
    )
    refunds = refund_for_cancellation(booking=booking, by_client=False)
    give_back_unless_charged(booking=booking, now=now)
    return_credit_for_cancellation(booking=booking, by_client=False, now=now)
    if notify:
        queue_booking_email(
            booking=booking, kind="cancellation", manage_url=manage_url(booking), message=message
        )
    return len(refunds)


def _close_or_move_line(
    session: Session, *, was_line: bool, message: str, notify: bool, now: datetime
) -> tuple[int, Session | None]:
    """A class's line ends with its session, and the clients in it are told. A course's line
    lives on its first scheduled session: when that is the one cancelled, the line moves, places
    and order kept, to the next; with no session left, it ends."""
    live = WaitlistEntry.objects.filter(session_id=session.pk, status__in=LIVE_WAITLIST_STATUSES)
    if session.service.kind == ServiceKind.COURSE and was_line:
        next_line = line_session_id(session)
        if next_line != session.pk:
            live.update(session_id=next_line)
            return 0, Session.objects.get(pk=next_line)
    waiting = list(live.select_related("client", "session__service", "session__staff"))
    live.update(status=WaitlistStatus.REMOVED, offer_until=None, closed_at=now)
    for entry in waiting if notify else ():
        queue_session_cancelled_email(entry=entry, message=message)
    return len(waiting), None
