"""What a booking e-mail says: rendered in the client's language and time zone."""

import base64
import re
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from ..display import calendar_files
from ..display.client_zone import email_zone
from ..display.email_wording import render_wording
from ..models import Booking, BookingEmailSetting, BookingStatus, Business

if TYPE_CHECKING:
    from .booking_emails import BookingEmail


def with_details(booking_id: int) -> Booking:
    """The booking read with what every booking e-mail shows."""
    return Booking.objects.select_related("client", "service", "session__staff", "discount").get(
        pk=booking_id
    )


def write(
    *,
    booking: Booking,
    email_kind: "BookingEmail",
    language: str,
    manage_url: str,
    message: str,
    owner_choice: BookingEmailSetting | None,
) -> dict:
    """The subject, bodies and attachments of the message, in ``language`` and the client's
    time zone (else the business's)."""
    business, client = Business.current(), booking.client
    tz = email_zone(client, business)
    bookings = _bookings_shown(booking=booking, email_kind=email_kind)
    with translation.override(language), timezone.override(tz):
        context = {
            **_context(booking=booking, bookings=bookings, business=business, tz=tz, manage_url=manage_url),
            "message": message,
            "calendar_attached": email_kind.attach_calendar,
        }
        wording = _owner_wording(owner_choice, booking=booking, business=business, tz=tz)
        context["intro"] = wording.get("intro", "")
        subject = wording.get("subject") or render_to_string(email_kind.subject_template, context)
        subject = " ".join(subject.split())[:250]
        attachments = (
            [_calendar_attachment(bookings, manage_url=manage_url)] if email_kind.attach_calendar else []
        )
        return {
            "subject": subject,
            "body_text": _tidy(render_to_string(email_kind.text_template, context)),
            "body_html": render_to_string(email_kind.html_template, {**context, "subject": subject}),
            "attachments": attachments,
        }


def _owner_wording(owner_choice: BookingEmailSetting | None, *, booking: Booking, business, tz) -> dict:
    """The owner's subject and opening paragraph for this e-mail, variables filled in."""
    if owner_choice is None:
        return {}
    start = timezone.localtime(booking.session.start, tz)
    values = {
        "client_first_name": booking.client.first_name,
        "service_name": booking.service.name,
        "session_start": date_format(start, "DATETIME_FORMAT"),
        "staff_name": booking.session.staff.name,
        "business_name": business.name,
    }
    return {
        "subject": render_wording(owner_choice.subject, values),
        "intro": render_wording(owner_choice.intro, values),
    }


def _tidy(text: str) -> str:
    """Plain text as a person would type it: no runs of blank lines left by template tags."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _bookings_shown(*, booking: Booking, email_kind: "BookingEmail") -> list[Booking]:
    if not (email_kind.whole_enrollment and booking.enrollment):
        return [booking]
    return list(
        Booking.objects.select_related("service", "session__staff")
        .filter(enrollment=booking.enrollment, status=booking.status)
        .order_by("session__start")
    )


def _context(
    *, booking: Booking, bookings: list[Booking], business: Business, tz: ZoneInfo, manage_url: str
) -> dict:
    """What every booking e-mail template may use; ``message`` and ``calendar_attached`` come on top."""
    return {
        "booking": booking,
        "sessions": [each.session for each in bookings],
        "client": booking.client,
        "service": booking.service,
        "business": business,
        "time_zone": tz.key,
        "manage_url": manage_url,
        "google_calendar_url": calendar_files.google_calendar_url(booking, manage_url=manage_url),
        "outlook_calendar_url": calendar_files.outlook_calendar_url(booking, manage_url=manage_url),
        "payment": _payment(booking=booking, bookings=bookings, business=business),
        "discount": _discount(booking),
    }


def _discount(booking: Booking) -> dict | None:
    """The code the booking used and what it took off, while the use counts."""
    try:
        redemption = booking.discount
    except ObjectDoesNotExist:
        return None
    if redemption.given_back_at is not None:
        return None
    return {"code": redemption.code, "amount": _money(redemption.amount, redemption.currency)}


def _payment(*, booking: Booking, bookings: list[Booking], business: Business) -> dict | None:
    """What a live booking's client paid online (a gift card) and has left to pay in person."""
    paid = sum((each.prepaid_amount for each in bookings), Decimal("0.00"))
    if not paid or booking.status != BookingStatus.CONFIRMED:
        return None
    method = next(each for each in bookings if each.prepaid_amount).get_payment_method_display()
    due = sum((each.due_in_person for each in bookings), Decimal("0.00"))
    return {
        "paid": _money(paid, business.currency),
        "due": _money(due, business.currency) if due else "",
        "method": method,
    }


def _money(amount: Decimal, currency: str) -> str:
    """ "25.00 EUR" in the active language's number format, isolated so that right-to-left
    text keeps the amount before its currency."""
    return f"\u2068{number_format(amount, decimal_pos=2, force_grouping=True)} {currency}\u2069"


def _calendar_attachment(bookings: list[Booking], *, manage_url: str) -> dict:
    content = calendar_files.bookings_ics(bookings, manage_url=manage_url)
    return {
        "filename": "booking.ics",
        "mimetype": "text/calendar",
        "content": base64.b64encode(content).decode(),
    }
