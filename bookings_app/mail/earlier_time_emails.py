"""The e-mail that tells a client an earlier time opened for their appointment (docs/waitlist.md).

Stored written, in the caller's transaction (the one that freed the time), in the client's
language and time zone, once per notice. The owner's subject and opening paragraph for the kind
``earlier_time`` apply as for the booking e-mails (``BookingEmailSetting``), and so does
switching it off.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..display.client_zone import email_zone
from ..display.email_wording import render_wording
from ..models import BookingEmailSetting, Business, EarlierTimeNotice, OutgoingEmail
from . import composers, outbox
from .recipients import language_for

EARLIER_TIME = "earlier_time"
composers.name_email_kind(EARLIER_TIME, _("Earlier time offered"))


def queue_earlier_time_email(*, notice: EarlierTimeNotice, url: str) -> OutgoingEmail | None:
    """Tell ``notice``'s client of its time, once (the notice is the key)."""
    owner_choice = BookingEmailSetting.objects.filter(kind=EARLIER_TIME).first()
    if owner_choice and not owner_choice.is_enabled:
        return None
    business, wish = Business.current(), notice.request
    client, booking = wish.client, wish.booking
    tz = email_zone(client, business)
    language = language_for(client, business)
    with translation.override(language), timezone.override(tz):
        context = {
            "client": client,
            "business": business,
            "service": notice.service,
            "notice": notice,
            "booked": booking.session,
            "url": url,
            "time_zone": tz.key,
            "notice_hours": settings.EARLIER_TIME_NOTICE_HOURS,
            "intro": _owner_text(owner_choice, "intro", notice, business, tz),
        }
        subject = _owner_text(owner_choice, "subject", notice, business, tz) or render_to_string(
            "emails/earlier_time_subject.txt", context
        )
        body_text = render_to_string("emails/earlier_time.txt", context)
        body_html = render_to_string("emails/earlier_time.html", {**context, "subject": subject})
    return outbox.queue_email(
        kind=EARLIER_TIME,
        dedupe_key=f"earlier_time:{notice.pk}",
        to=client.email,
        subject=subject,
        body_text=body_text.strip() + "\n",
        body_html=body_html,
        client=client,
        booking=booking,
        language=language,
        business=business,
    )


def _owner_text(owner_choice, field: str, notice: EarlierTimeNotice, business, tz) -> str:
    if owner_choice is None or not getattr(owner_choice, field):
        return ""
    values = {
        "client_first_name": notice.request.client.first_name,
        "service_name": notice.service.name,
        "session_start": date_format(timezone.localtime(notice.start, tz), "DATETIME_FORMAT"),
        "staff_name": notice.staff.name,
        "business_name": business.name,
    }
    return render_wording(getattr(owner_choice, field), values)
