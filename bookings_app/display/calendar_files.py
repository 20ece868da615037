"""Calendar files (RFC 5545) and "add to calendar" links for bookings, always in UTC.

Strings are written in the active language: render inside ``translation.override``.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlencode

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Booking, BookingStatus, Business

PRODID = "-//Rendez//Bookings//EN"
_ICS_STATUS = {
    BookingStatus.REQUESTED: "TENTATIVE",
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.DECLINED: "CANCELLED",
    BookingStatus.EXPIRED: "CANCELLED",
    BookingStatus.CANCELLED: "CANCELLED",
    BookingStatus.AWAITING_PAYMENT: "TENTATIVE",
    BookingStatus.RELEASED: "CANCELLED",
}


def booking_uid(booking: Booking) -> str:
    """The event's identity in the client's calendar: the same for every file of one booking."""
    return f"booking-{booking.code}@rendez"


def booking_ics(booking: Booking, *, manage_url: str = "") -> bytes:
    """A VCALENDAR holding the booking's session as one VEVENT."""
    return bookings_ics([booking], manage_url=manage_url)


def bookings_ics(bookings: Iterable[Booking], *, manage_url: str = "") -> bytes:
    """A VCALENDAR with one VEVENT per booking (a course enrollment), METHOD:PUBLISH."""
    business = Business.current()
    calendar = icalendar.Calendar.new(prodid=PRODID, method="PUBLISH")
    for booking in bookings:
        calendar.add_component(_event(booking, business=business, manage_url=manage_url))
    return calendar.to_ical()


def _event(booking: Booking, *, business: Business, manage_url: str) -> icalendar.Event:
    session, now = booking.session, timezone.now()
    # A newer file must win over an older one with the same UID (a reschedule moves the
    # event): SEQUENCE counts minutes, so it grows between files; DTSTAMP breaks a tie.
    return icalendar.Event.new(
        uid=booking_uid(booking),
        stamp=_utc(now),
        start=_utc(session.start),
        end=_utc(session.end),
        summary=booking.service.name,
        location=business.name,
        description=_description(booking, business=business, manage_url=manage_url),
        sequence=int(now.timestamp()) // 60,
        status=_ICS_STATUS[booking.status],
    )


def _description(booking: Booking, *, business: Business, manage_url: str) -> str:
    lines = [
        _("%(service)s with %(staff)s at %(business)s")
        % {"service": booking.service.name, "staff": booking.session.staff.name, "business": business.name},
        _("Booking reference: %(code)s") % {"code": booking.code},
    ]
    if manage_url:
        change = _("Cancel your place: %(url)s") if booking.enrollment else _("Cancel or reschedule: %(url)s")
        lines.append(change % {"url": manage_url})
    return "\n".join(lines)


def google_calendar_url(booking: Booking, *, manage_url: str = "") -> str:
    """A link that opens Google Calendar's "new event" form filled with the booking."""
    business, session = Business.current(), booking.session
    query = {
        "action": "TEMPLATE",
        "text": booking.service.name,
        "dates": f"{_utc(session.start):%Y%m%dT%H%M%SZ}/{_utc(session.end):%Y%m%dT%H%M%SZ}",
        "details": _description(booking, business=business, manage_url=manage_url),
        "location": business.name,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(booking: Booking, *, manage_url: str = "") -> str:
    """A link that opens Outlook on the web's "new event" form filled with the booking."""
    business, session = Business.current(), booking.session
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": booking.service.name,
        "startdt": f"{_utc(session.start):%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{_utc(session.end):%Y-%m-%dT%H:%M:%SZ}",
        "body": _description(booking, business=business, manage_url=manage_url),
        "location": business.name,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
