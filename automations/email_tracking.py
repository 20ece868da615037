"""What became of automation e-mails: signed open pixels and click links, and the provider's reports.

At queue time the e-mail action turns every web link of the HTML body into a signed click
link and adds a signed 1×1 image (``tracked_html``), then links the stored e-mail to its run
and action (``record_message``). A token names the run and the action's position, which name
the message; a click token also carries its address, and the address must be one the message
held, so a click link never leads anywhere else (no open redirect). The unsubscribe link is
never tracked. Delivered, bounced and spam reports come from the provider's webhook through
django-anymail's ``tracking`` signal (``on_provider_event``), matched by the provider's id.
"""

import html
import logging
import re
from datetime import datetime
from urllib.parse import quote

from anymail.signals import AnymailTrackingEvent
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from bookings_app.core.paths import path_around
from bookings_app.core.transactions import insert
from bookings_app.models import OutgoingEmail
from bookings_app.web.links import absolute_url
from bookings_app.web.request_input import positive_id

from .models import AutomationMessage, MessageEvent, Run, Tracking

logger = logging.getLogger(__name__)

_OPEN_SALT = "rendez.automations.email.open"
_CLICK_SALT = "rendez.automations.email.click"
_STAND_IN = "rendez-token"
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted in a path
_LINK = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)

# django-anymail's normalized event types → what the statistics count.
PROVIDER_EVENTS = {
    "delivered": Tracking.DELIVERED,
    "bounced": Tracking.BOUNCED,
    "rejected": Tracking.BOUNCED,
    "failed": Tracking.BOUNCED,
    "complained": Tracking.COMPLAINED,
    "opened": Tracking.OPENED,
    "clicked": Tracking.CLICKED,
}


def open_token(*, run_id: int, position: int) -> str:
    return signing.Signer(salt=_OPEN_SALT).sign(f"{run_id}.{position}")


def click_token(*, run_id: int, position: int, url: str) -> str:
    return signing.Signer(salt=_CLICK_SALT).sign_object([run_id, position, url], compress=True)


def tracked_html(body_html: str, *, run_id: int, position: int, untracked: str) -> tuple[str, list[str]]:
    """The HTML body with signed click links and the open pixel; and the addresses linked to.

    Only http(s) links are rewritten; ``untracked`` (the unsubscribe link) is left as it is.
    """
    links: list[str] = []

    def rewrite(match: re.Match) -> str:
        url = html.unescape(match.group(3)).strip()
        if url == untracked or not url.lower().startswith(("http://", "https://")):
            return match.group(0)
        if url not in links:
            links.append(url)
        tracked = tracking_url(
            "automations:email_clicked", click_token(run_id=run_id, position=position, url=url)
        )
        return f"{match.group(1)}{match.group(2)}{html.escape(tracked)}{match.group(2)}"

    body_html = _LINK.sub(rewrite, body_html)
    pixel_url = html.escape(
        tracking_url("automations:email_opened", open_token(run_id=run_id, position=position))
    )
    pixel = f'<img src="{pixel_url}" width="1" height="1" alt="" style="display:block;border:0;">'
    if "</body>" in body_html:
        return body_html.replace("</body>", pixel + "</body>", 1), links
    return body_html + pixel, links


def tracking_url(name: str, token: str) -> str:
    """``absolute_url(reverse(name, args=[token]))`` for a tracking view, put together by string:
    ``reverse`` costs about a tenth of a millisecond, and an e-mail has a pixel and its links.
    The token is quoted as ``reverse`` quotes it (signed tokens need none)."""
    prefix, suffix = path_around(name, _STAND_IN)
    return absolute_url(prefix + quote(token, safe=_PATH_SAFE) + suffix)


def untracked_html(body_html: str) -> str:
    """The stored body as the owner previews it: no open pixel, every click link back to its address.

    Matched by path, whatever host the message was sent with (SITE_URL may have changed since)."""
    opened = re.escape(reverse("automations:email_opened", args=["-"])[:-2])
    clicked = reverse("automations:email_clicked", args=["-"])[:-2]
    body_html = re.sub(
        rf"""<img\b[^>]*\bsrc=(["'])[^"']*{opened}[^"']*\1[^>]*>""", "", body_html, flags=re.IGNORECASE
    )

    def original(match: re.Match) -> str:
        url = html.unescape(match.group(3))
        if clicked not in url:
            return match.group(0)
        try:
            _run_id, _position, address = signing.Signer(salt=_CLICK_SALT).unsign_object(
                url.split(clicked, 1)[1].strip("/")
            )
        except (signing.BadSignature, ValueError, TypeError):
            address = "#"
        return f"{match.group(1)}{match.group(2)}{html.escape(str(address))}{match.group(2)}"

    return _LINK.sub(original, body_html)


def record_message(*, email: OutgoingEmail, run: Run, position: int, links: list[str]) -> AutomationMessage:
    """Link a queued e-mail to the action that wrote it; call in the transaction that queued it."""
    message = AutomationMessage(
        automation_id=run.automation_id, run=run, position=position, email=email, links=links
    )
    insert(message)
    return message


def message_for_open_token(token: str) -> AutomationMessage | None:
    """The message behind a pixel, or None for a forged token or an unknown message."""
    try:
        run_id, _dot, position = signing.Signer(salt=_OPEN_SALT).unsign(token).partition(".")
        return AutomationMessage.objects.filter(run_id=int(run_id), position=int(position)).first()
    except (signing.BadSignature, ValueError):
        return None


def link_for_click_token(token: str) -> tuple[AutomationMessage, str] | None:
    """(message, address) behind a click link; None when forged or the address was not in it."""
    try:
        run_id, position, url = signing.Signer(salt=_CLICK_SALT).unsign_object(token)
        message = AutomationMessage.objects.filter(run_id=int(run_id), position=int(position)).first()
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if message is None or url not in message.links:
        return None
    return message, url


def record_open(*, message: AutomationMessage, at: datetime | None = None) -> None:
    record_tracking(message=message, kind=Tracking.OPENED, at=at)


def record_click(*, message: AutomationMessage, at: datetime | None = None) -> None:
    """A click shows the message was opened too, even when its images were blocked."""
    with transaction.atomic():
        record_tracking(message=message, kind=Tracking.CLICKED, at=at)
        record_tracking(message=message, kind=Tracking.OPENED, at=at)


def record_tracking(*, message: AutomationMessage, kind: str, at: datetime | None = None) -> bool:
    """Count one report of ``kind`` for ``message``; returns whether it was the first.

    The first report makes the (message, kind) row and stamps the message; later ones (a
    second open, a provider retrying its webhook) only add to the row's count.
    """
    at = at or timezone.now()
    with transaction.atomic():
        if _count_again(message=message, kind=kind, at=at):
            return False
        try:
            with transaction.atomic():
                MessageEvent.objects.create(message=message, kind=kind, first_at=at, last_at=at)
        except IntegrityError:  # a concurrent report made the row first
            _count_again(message=message, kind=kind, at=at)
            return False
        unstamped = AutomationMessage.objects.filter(pk=message.pk, **{f"{kind}_at__isnull": True})
        unstamped.update(**{f"{kind}_at": at})
    return True


def _count_again(*, message: AutomationMessage, kind: str, at: datetime) -> bool:
    return bool(
        MessageEvent.objects.filter(message=message, kind=kind).update(
            count=F("count") + 1, last_at=Greatest("last_at", Value(at, output_field=DateTimeField()))
        )
    )


def message_for_provider_event(event: AnymailTrackingEvent) -> AutomationMessage | None:
    """Our message for a provider's event: by the e-mail id we tag messages with, else by the
    provider's message id (or our Message-ID header, which SMTP providers report)."""
    email_id = positive_id(str((event.metadata or {}).get("rendez_email", "")))
    if email_id is not None:
        return AutomationMessage.objects.filter(email_id=email_id).first()
    if not event.message_id:
        return None
    return AutomationMessage.objects.filter(email__provider_id=str(event.message_id)[:200]).first()


def record_provider_event(*, event: AnymailTrackingEvent) -> bool:
    """Record a provider's report; False when it is not one we count or names no message of ours."""
    kind = PROVIDER_EVENTS.get(event.event_type or "")
    message = message_for_provider_event(event) if kind else None
    if message is None:
        return False
    if kind == Tracking.CLICKED:
        record_click(message=message, at=event.timestamp)
    else:
        record_tracking(message=message, kind=kind, at=event.timestamp)
    return True


def on_provider_event(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """django-anymail's ``tracking`` signal. Anymail checks the webhook's basic-auth credentials
    (``ANYMAIL_WEBHOOK_SECRET``) before sending it; without that setting anymail would let
    anyone post, so then nothing is recorded."""
    if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        logger.warning("ignored a %s tracking event: ANYMAIL_WEBHOOK_SECRET is not set", esp_name)
        return
    record_provider_event(event=event)
