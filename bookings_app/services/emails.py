"""Booking e-mails: stored in the caller's transaction, sent once by a task after commit.

A message is an ``OutgoingEmail`` row first. Its ``dedupe_key`` exists once, so a service
that runs twice stores one message; ``send_email_now`` claims the row with a conditional
UPDATE, so a task that runs twice sends one. The sweep re-dispatches what a lost broker
message left behind, which only delays mail.
"""

import base64
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, make_msgid
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from .. import calendar_files, workers
from ..client_zone import email_zone
from ..email_wording import render_wording
from ..models import Booking, BookingEmailSetting, BookingStatus, Business, Client, EmailStatus, OutgoingEmail
from ..transactions import attempt, insert, on_commit_together

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = timedelta(minutes=10)  # a "sending" row older than this is lost, whoever holds it
SWEEP_GRACE = timedelta(minutes=1)  # younger queued rows still have their task on the way
SWEEP_BATCH = 500
SEND_BATCH = 50  # messages committed together that one task sends
RETRY_AFTER_SECONDS = 60  # a message of a batch that failed is tried again alone after this


@dataclass(frozen=True)
class BookingEmail:
    """How one kind of booking e-mail is written and when it counts as already sent.

    ``once_per_start``: one message per session time (a reschedule mails once per move);
    otherwise one per booking. ``whole_enrollment``: a course booking lists (and attaches)
    every session of its enrollment that shares the booking's status.
    """

    subject_template: str
    text_template: str
    html_template: str
    attach_calendar: bool
    once_per_start: bool = False
    whole_enrollment: bool = False


def booking_email(
    kind: str, *, attach_calendar: bool, once_per_start: bool = False, whole_enrollment: bool = False
) -> BookingEmail:
    """The kind written by the templates ``emails/booking_<kind>{_subject.txt,.txt,.html}``."""
    base = f"emails/booking_{kind}"
    return BookingEmail(
        subject_template=f"{base}_subject.txt",
        text_template=f"{base}.txt",
        html_template=f"{base}.html",
        attach_calendar=attach_calendar,
        once_per_start=once_per_start,
        whole_enrollment=whole_enrollment,
    )


# Later features register their kinds here (e.g. "request_received").
BOOKING_EMAILS: dict[str, BookingEmail] = {
    "confirmation": booking_email("confirmation", attach_calendar=True, whole_enrollment=True),
    "cancellation": booking_email("cancellation", attach_calendar=False, whole_enrollment=True),
    "reschedule": booking_email("reschedule", attach_calendar=True, once_per_start=True),
    "reminder": booking_email("reminder", attach_calendar=True, once_per_start=True),
    "request_received": booking_email("request_received", attach_calendar=False),
    "request_declined": booking_email("request_declined", attach_calendar=False),
    "request_expired": booking_email("request_expired", attach_calendar=False),
}


def queue_booking_email(
    *, booking: Booking, kind: str, manage_url: str = "", message: str = ""
) -> OutgoingEmail | None:
    """Store the ``kind`` e-mail for ``booking`` and send it after the caller's commit.

    Call inside the caller's transaction, so the message exists if and only if the change
    does. Rendered in the client's language and time zone (else the business's). Returns
    None when this message was already stored (its ``dedupe_key`` exists). Raises KeyError
    for a kind not in ``BOOKING_EMAILS``.
    """
    email_kind = BOOKING_EMAILS[kind]
    owner_choice = BookingEmailSetting.objects.filter(kind=kind).first()
    if owner_choice and not owner_choice.is_enabled:
        return None
    booking = _with_details(booking)
    dedupe_key = _dedupe_key(booking=booking, kind=kind, email_kind=email_kind)
    if OutgoingEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    email = _compose(
        booking=booking,
        kind=kind,
        email_kind=email_kind,
        manage_url=manage_url,
        message=message,
        owner_choice=owner_choice,
    )
    email.dedupe_key = dedupe_key
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:  # a concurrent call stored it first
        return None
    transaction.on_commit(lambda: _dispatch(email_id=email.pk))
    return email


def rewrite_queued_booking_email(*, booking: Booking, kind: str, manage_url: str = "") -> bool:
    """Render again the ``kind`` e-mail of ``booking`` that its transaction stored and has not
    handed over yet, so that it tells what the same transaction did next (a gift card paid
    the booking just made). Returns whether there was such a message to rewrite."""
    email_kind = BOOKING_EMAILS[kind]
    booking = _with_details(booking)
    waiting = OutgoingEmail.objects.filter(
        dedupe_key=_dedupe_key(booking=booking, kind=kind, email_kind=email_kind),
        status=EmailStatus.QUEUED,
        attempts=0,
    )
    if not waiting.exists():
        return False
    owner_choice = BookingEmailSetting.objects.filter(kind=kind).first()
    fresh = _compose(
        booking=booking,
        kind=kind,
        email_kind=email_kind,
        manage_url=manage_url,
        message="",
        owner_choice=owner_choice,
    )
    return bool(
        waiting.update(
            subject=fresh.subject,
            body_text=fresh.body_text,
            body_html=fresh.body_html,
            attachments=fresh.attachments,
        )
    )


def _with_details(booking: Booking) -> Booking:
    """The booking read again with what every booking e-mail shows."""
    return Booking.objects.select_related("client", "service", "session__staff").get(pk=booking.pk)


def _dedupe_key(*, booking: Booking, kind: str, email_kind: BookingEmail) -> str:
    version = int(booking.session.start.timestamp()) if email_kind.once_per_start else booking.pk
    return f"booking:{booking.pk}:{kind}:{version}"


def _compose(
    *,
    booking: Booking,
    kind: str,
    email_kind: BookingEmail,
    manage_url: str,
    message: str,
    owner_choice: BookingEmailSetting | None = None,
) -> OutgoingEmail:
    """The unsaved message, rendered in the client's language and time zone."""
    business, client = Business.current(), booking.client
    language = _language_for(client=client, business=business)
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
        body_text = _tidy(render_to_string(email_kind.text_template, context))
        body_html = render_to_string(email_kind.html_template, {**context, "subject": subject})
        attachments = (
            [_calendar_attachment(bookings, manage_url=manage_url)] if email_kind.attach_calendar else []
        )
    return OutgoingEmail(
        kind=kind,
        to=client.email,
        from_email=_sender(business),
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
        language=language,
        headers={"Message-ID": make_msgid(domain=business.sender_email.rpartition("@")[2] or None)},
        client=client,
        booking=booking,
    )


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


def _language_for(*, client: Client, business: Business) -> str:
    """The client's language if Rendez speaks it, else the business's, else the site default."""
    for candidate in (client.language, business.language):
        try:
            return translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _bookings_shown(*, booking: Booking, email_kind: BookingEmail) -> list[Booking]:
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
    }


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


def queue_email(
    *,
    kind: str,
    dedupe_key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    client: Client | None = None,
    booking: Booking | None = None,
    language: str = "",
    headers: dict | None = None,
    attachments: list | None = None,
    business: Business | None = None,
) -> OutgoingEmail | None:
    """Store any message (automations, loyalty) and send it after the caller's commit.

    The same contract as ``queue_booking_email``: call it inside the caller's
    transaction; a ``dedupe_key`` already stored returns None and stores nothing (the
    unique key refuses it; inside ``transactions.all_or_nothing()`` it spoils the caller's
    transaction instead). ``attachments`` are ``{"filename", "mimetype", "content":
    <base64>}`` dicts. A caller sending many messages passes the ``business`` it read.
    """
    business = business or Business.current()
    email = OutgoingEmail(
        kind=kind,
        dedupe_key=dedupe_key,
        to=to,
        from_email=_sender(business),
        subject=" ".join(subject.split())[:250],
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        language=language or business.language,
        client=client,
        booking=booking,
        headers={
            "Message-ID": make_msgid(domain=business.sender_email.rpartition("@")[2] or None),
            **(headers or {}),
        },
    )
    try:
        with attempt():
            insert(email)
    except IntegrityError:
        return None
    on_commit_together(_dispatch_all, email)
    return email


def _sender(business: Business) -> str:
    name = business.name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}" <{business.sender_email}>'


def _dispatch_all(emails: list[OutgoingEmail]) -> None:
    """Hand the messages of one transaction to the workers (automation runs committed together)."""
    _dispatch_many([email.pk for email in emails])


def _dispatch_many(email_ids: list[int]) -> None:
    """One task for one message, one task for each ``SEND_BATCH`` of several."""
    from ..tasks import send_emails

    if len(email_ids) == 1:
        _dispatch(email_id=email_ids[0])
        return
    try:
        for start in range(0, len(email_ids), SEND_BATCH):
            send_emails.apply_async(args=[email_ids[start : start + SEND_BATCH]], retry=False)
    except Exception:  # the broker is down: the sweep sends them later
        logger.warning("could not queue e-mails %s; the sweep will send them", email_ids, exc_info=True)


def _dispatch(*, email_id: int) -> None:
    from ..tasks import send_email  # the tasks module imports this one

    try:  # no publish retries: with the broker down they would hold the request for seconds
        send_email.apply_async(args=[email_id], retry=False)
    except Exception:  # the broker is down: the change is committed, the sweep sends it later
        logger.warning("could not queue e-mail %s; the sweep will send it", email_id, exc_info=True)


def send_email_now(*, email_id: int, connection: BaseEmailBackend | None = None) -> str:
    """Send one stored message unless it is sent or being sent; returns "sent" or "skipped".

    On a transport error the row goes back to "queued" (or to "failed" after
    ``MAX_ATTEMPTS``) with the error recorded, and the error is raised again for the
    task's retry. A worker lost between sending and recording may send twice, once its
    claim is lost (``_lost``): delivery is at least once, never twice for a retried task.
    ``connection``, when given, is opened if need be and left open for the next message.
    """
    if not _claim(email_id=email_id):
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        message = _message(email)
        if connection is not None:
            connection.open()
            message.connection = connection
        message.send()
    except Exception as error:
        _record_failure(email=email, error=error)
        raise
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        provider_id=_provider_id(message)[:200],
        last_error="",
    )
    return "sent"


def send_emails_now(*, email_ids: list[int]) -> int:
    """Send stored messages one after another over one connection to the mail server;
    returns how many were sent. One that fails is handed to ``send_email`` for its retries
    (or left to the sweep), and the rest go on over a new connection."""
    from ..tasks import send_email

    sent = 0
    connection = get_connection()
    try:
        for email_id in email_ids:
            try:
                sent += send_email_now(email_id=email_id, connection=connection) == "sent"
            except Exception:
                logger.warning("could not send e-mail %s; it is tried again later", email_id, exc_info=True)
                _close_quietly(connection)  # a refused message may leave the session in any state
                try:
                    send_email.apply_async(args=[email_id], countdown=RETRY_AFTER_SECONDS, retry=False)
                except Exception:  # the broker is down too: the sweep sends it
                    logger.warning(
                        "could not queue e-mail %s; the sweep will send it", email_id, exc_info=True
                    )
    finally:
        _close_quietly(connection)
    return sent


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Close the connection; the messages it carried are recorded whatever QUIT answers."""
    try:
        connection.close()
    except Exception:
        logger.info("the mail server did not close the connection cleanly", exc_info=True)


def _lost(*, now) -> Q:
    """Messages being sent by a worker that died (``workers.LOST_AFTER``), or for longer than
    ``CLAIM_TIMEOUT``."""
    return Q(status=EmailStatus.SENDING) & workers.lost_claim(now=now, timeout=CLAIM_TIMEOUT)


def _claim(*, email_id: int, now=None) -> bool:
    """Take the row for this worker process; the UPDATE's row count says whether it won (its
    condition is read again by the database as it writes, so of two only one wins)."""
    now = now or timezone.now()
    claimable = Q(status=EmailStatus.QUEUED) | _lost(now=now)
    return bool(
        OutgoingEmail.objects.filter(claimable, pk=email_id, attempts__lt=MAX_ATTEMPTS).update(
            status=EmailStatus.SENDING,
            claimed_at=now,
            claimed_by=workers.current_worker(),
            attempts=F("attempts") + 1,
        )
    )


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.to],
        headers=dict(email.headers),
    )
    # django-anymail sends this to the provider, whose tracking webhooks send it back.
    message.metadata = {"rendez_email": str(email.pk)}
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        content = base64.b64decode(attachment["content"])
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def _provider_id(message: EmailMultiAlternatives) -> str:
    """The provider's id when an anymail backend gives one, else our Message-ID."""
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    return provider_id if isinstance(provider_id, str) else message.extra_headers.get("Message-ID", "")


def _record_failure(*, email: OutgoingEmail, error: Exception) -> None:
    gave_up = email.attempts >= MAX_ATTEMPTS
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.FAILED if gave_up else EmailStatus.QUEUED,
        last_error=f"{type(error).__name__}: {error}",
    )


def send_due_emails() -> int:
    """The sweep: dispatch queued messages whose task seems lost, and stale "sending" ones.

    A queued message is due a minute after it was stored or last tried; a "sending" one once
    its worker is lost (seconds after it died) or after ``CLAIM_TIMEOUT``. Stale ones out of
    attempts are marked failed. Returns how many were dispatched.
    """
    now = timezone.now()
    stale = _lost(now=now)
    OutgoingEmail.objects.filter(stale, attempts__gte=MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED, last_error="The worker was lost while sending; no attempts left."
    )
    waiting = Q(status=EmailStatus.QUEUED, created_at__lt=now - SWEEP_GRACE) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - SWEEP_GRACE)
    )
    due = list(
        OutgoingEmail.objects.filter(waiting | stale, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if due:
        _dispatch_many(due)
    return len(due)


def file_as_sent(*, stored_since) -> int:
    """File the messages still queued that were stored since then as sent, without sending
    them (the demo's history: its clients were told long ago). Returns how many."""
    return OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, created_at__gte=stored_since).update(
        status=EmailStatus.SENT, sent_at=F("created_at")
    )
