"""The calendar feeds (RFC 5545) a calendar app subscribes to: the business's and a staff
member's sessions, a client's bookings.

Same conventions as ``calendar_files``: PRODID, METHOD:PUBLISH, one stable UID per session
(``session-<id>@rendez``) or booking (``booking-<code>@rendez``, as in the booking's .ics).
Times are in UTC, as in the ``.ics`` files, and the business's zone is named (X-WR-TIMEZONE)
for the apps that show a calendar in it: the VTIMEZONE icalendar writes from zoneinfo lists
each change of clock as an RDATE, which Outlook's desktop app and vobject read an hour off in
summer; UTC needs no VTIMEZONE. SEQUENCE is the counter on the
session or booking that the services add one to whenever they move, confirm or cancel it, so two
fetches without a change are identical but for DTSTAMP. Cancelled ones stay in the feed as
STATUS:CANCELLED so subscribed calendars drop them. A place held while its client pays online
is in the team's feeds, marked "awaiting payment"; an appointment held so is TENTATIVE until paid.
Render inside ``translation.override``.
"""

from collections.abc import Iterable
from datetime import UTC

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Booking, BookingStatus, Business, ServiceKind, Session, SessionStatus
from .calendar_files import _ICS_STATUS, PRODID, booking_uid

_SESSION_STATUS = {
    SessionStatus.SCHEDULED: "CONFIRMED",
    SessionStatus.TENTATIVE: "TENTATIVE",
    SessionStatus.CANCELLED: "CANCELLED",
}


def session_uid(session: Session) -> str:
    """The session's identity in the team's calendars: the same in every fetch of every feed."""
    return f"session-{session.pk}@rendez"


def _calendar(name: str, business: Business) -> icalendar.Calendar:
    calendar = icalendar.Calendar.new(prodid=PRODID, method="PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", business.time_zone)
    return calendar


def _finish(calendar: icalendar.Calendar) -> bytes:
    return calendar.to_ical()


def sessions_feed(
    sessions: Iterable[Session],
    *,
    name: str,
    client_names: bool,
    private_notes: bool,
    business: Business | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per session; its bookings' clients and private notes when
    allowed. ``sessions`` come from ``feed_sessions`` (their ``feed_bookings`` prefetched)."""
    business = business or Business.current()
    calendar, stamp = _calendar(name, business), timezone.now().astimezone(UTC)
    for session in sessions:
        bookings = session.feed_bookings
        summary = session.service.name
        if client_names and len(bookings) == 1:
            summary = f"{summary} · {bookings[0].client.full_name}"
        lines = [_("With %(staff)s") % {"staff": session.staff.name}]
        if session.capacity > 1:
            lines.append(
                _("%(taken)s of %(capacity)s places taken")
                % {"taken": session.seats_taken, "capacity": session.capacity}
            )
        for booking in bookings:
            held = booking.status == BookingStatus.AWAITING_PAYMENT
            if client_names:
                name = booking.client.full_name
                if held:
                    name = _("%(name)s (awaiting payment)") % {"name": name}
                lines.append(f"• {name}")
            elif held:
                lines.append("• " + _("A place held, awaiting payment"))
            if private_notes and booking.notes.strip():
                lines.append(_("Note: %(note)s") % {"note": booking.notes.strip()})
        calendar.add_component(
            icalendar.Event.new(
                uid=session_uid(session),
                stamp=stamp,
                start=session.start.astimezone(UTC),
                end=session.end.astimezone(UTC),
                summary=summary,
                location=business.name,
                description="\n".join(lines),
                sequence=session.sequence,
                status=_session_status(session, bookings),
            )
        )
    return _finish(calendar)


def _session_status(session: Session, bookings: list[Booking]) -> str:
    """An appointment whose client has not paid yet may still be released: TENTATIVE until then."""
    held = bool(bookings) and all(b.status == BookingStatus.AWAITING_PAYMENT for b in bookings)
    if session.status == SessionStatus.SCHEDULED and held and session.service.kind == ServiceKind.APPOINTMENT:
        return "TENTATIVE"
    return _SESSION_STATUS[session.status]


def bookings_feed(bookings: Iterable[Booking], *, name: str, business: Business | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per booking of a client, cancelled ones as CANCELLED."""
    business = business or Business.current()
    calendar, stamp = _calendar(name, business), timezone.now().astimezone(UTC)
    for booking in bookings:
        session = booking.session
        calendar.add_component(
            icalendar.Event.new(
                uid=booking_uid(booking),
                stamp=stamp,
                start=session.start.astimezone(UTC),
                end=session.end.astimezone(UTC),
                summary=booking.service.name,
                location=business.name,
                description="\n".join(
                    [
                        _("%(service)s with %(staff)s at %(business)s")
                        % {
                            "service": booking.service.name,
                            "staff": session.staff.name,
                            "business": business.name,
                        },
                        _("Booking reference: %(code)s") % {"code": booking.code},
                    ]
                ),
                sequence=booking.sequence,
                status=_ICS_STATUS[booking.status],
            )
        )
    return _finish(calendar)
