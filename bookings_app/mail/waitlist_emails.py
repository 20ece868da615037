"""The waitlist's e-mail to a client: a freed seat is offered (docs/waitlist.md).

Stored written, in the caller's transaction, in the client's language and time zone. The
owner's subject and opening paragraph for the kind ``waitlist_offer`` apply as for the
booking e-mails (``BookingEmailSetting``), and so does switching it off.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..display.client_zone import email_zone
from ..display.email_wording import render_wording
from ..models import BookingEmailSetting, Business, OutgoingEmail, WaitlistEntry
from . import composers, outbox
from .recipients import language_for

OFFER = "waitlist_offer"
composers.name_email_kind(OFFER, _("Waitlist seat offered"))


def queue_offer_email(*, entry: WaitlistEntry, url: str) -> OutgoingEmail | None:
    """The offer of a seat to ``entry``'s client, once per offer (its time is in the key)."""
    owner_choice = BookingEmailSetting.objects.filter(kind=OFFER).first()
    if owner_choice and not owner_choice.is_enabled:
        return None
    business, client, session = Business.current(), entry.client, entry.session
    tz = email_zone(client, business)
    language = language_for(client, business)
    with translation.override(language), timezone.override(tz):
        context = {
            "client": client,
            "business": business,
            "service": session.service,
            "session": session,
            "entry": entry,
            "url": url,
            "time_zone": tz.key,
            "intro": _owner_text(owner_choice, "intro", entry, business, tz),
        }
        subject = _owner_text(owner_choice, "subject", entry, business, tz) or render_to_string(
            "emails/waitlist_offer_subject.txt", context
        )
        body_text = render_to_string("emails/waitlist_offer.txt", context)
        body_html = render_to_string("emails/waitlist_offer.html", {**context, "subject": subject})
    return outbox.queue_email(
        kind=OFFER,
        dedupe_key=f"waitlist:{entry.pk}:offer:{int(entry.offered_at.timestamp())}",
        to=client.email,
        subject=subject,
        body_text=body_text.strip() + "\n",
        body_html=body_html,
        client=client,
        language=language,
        business=business,
    )


def _owner_text(owner_choice, field: str, entry: WaitlistEntry, business, tz) -> str:
    if owner_choice is None or not getattr(owner_choice, field):
        return ""
    session = entry.session
    values = {
        "client_first_name": entry.client.first_name,
        "service_name": session.service.name,
        "session_start": date_format(timezone.localtime(session.start, tz), "DATETIME_FORMAT"),
        "staff_name": session.staff.name,
        "business_name": business.name,
    }
    return render_wording(getattr(owner_choice, field), values)


SESSION_CANCELLED = "waitlist_session_cancelled"
composers.name_email_kind(SESSION_CANCELLED, _("Waitlist: the session was cancelled"))


def queue_session_cancelled_email(*, entry: WaitlistEntry, message: str = "") -> OutgoingEmail:
    """Tell a client waiting in line that the session they waited for is cancelled, once per
    entry, with the team's message."""
    business, client, session = Business.current(), entry.client, entry.session
    tz = email_zone(client, business)
    language = language_for(client, business)
    with translation.override(language), timezone.override(tz):
        context = {
            "client": client,
            "business": business,
            "service": session.service,
            "session": session,
            "message": message,
            "time_zone": tz.key,
        }
        subject = render_to_string("emails/waitlist_session_cancelled_subject.txt", context)
        body_text = render_to_string("emails/waitlist_session_cancelled.txt", context)
        body_html = render_to_string(
            "emails/waitlist_session_cancelled.html", {**context, "subject": subject}
        )
    return outbox.queue_email(
        kind=SESSION_CANCELLED,
        dedupe_key=f"waitlist:{entry.pk}:session-cancelled",
        to=client.email,
        subject=subject.strip(),
        body_text=body_text.strip() + "\n",
        body_html=body_html,
        client=client,
        language=language,
        business=business,
    )
