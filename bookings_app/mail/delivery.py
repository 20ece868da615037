"""What a worker does with a stored message: claim it, send it, record what happened.

The claim is a conditional UPDATE, so of two workers (or a task run twice) only one sends. A
worker lost between sending and recording may send twice once its claim is lost: delivery is
at least once, never twice for a retried task.
"""

import base64
import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone

from ..core import hand_over, workers
from ..models import EmailStatus, OutgoingEmail
from . import composers

logger = logging.getLogger(__name__)

SEND_ONE = "bookings_app.tasks.send_email"
SEND_MANY = "bookings_app.tasks.send_emails"
MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = timedelta(minutes=10)  # a "sending" row older than this is lost, whoever holds it
RETRY_AFTER_SECONDS = 60  # a message of a batch that failed is tried again alone after this


def send_email_now(*, email_id: int, connection: BaseEmailBackend | None = None) -> str:
    """Send one stored message unless it is sent or being sent; returns "sent" or "skipped".

    A message stored unwritten is written first, by its composer. On an error writing or
    sending it the row goes back to "queued" (or to "failed" after ``MAX_ATTEMPTS``) with the
    error recorded, and the error is raised again for the task's retry. ``connection``, when
    given, is opened if need be and left open for the next message.
    """
    if not _claim(email_id=email_id):
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        composers.write_when_sent(email)
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
    sent = 0
    connection = get_connection()
    try:
        for email_id in email_ids:
            try:
                sent += send_email_now(email_id=email_id, connection=connection) == "sent"
            except Exception:
                logger.warning("could not send e-mail %s; it is tried again later", email_id, exc_info=True)
                _close_quietly(connection)  # a refused message may leave the session in any state
                hand_over.send_now(SEND_ONE, email_id, countdown=RETRY_AFTER_SECONDS)
    finally:
        _close_quietly(connection)
    return sent


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Close the connection; the messages it carried are recorded whatever QUIT answers."""
    try:
        connection.close()
    except Exception:
        logger.info("the mail server did not close the connection cleanly", exc_info=True)


def lost(*, now) -> Q:
    """Messages being sent by a worker that died (``workers.LOST_AFTER``), or for longer than
    ``CLAIM_TIMEOUT``."""
    return Q(status=EmailStatus.SENDING) & workers.lost_claim(now=now, timeout=CLAIM_TIMEOUT)


def _claim(*, email_id: int, now=None) -> bool:
    """Take the row for this worker process; the UPDATE's row count says whether it won (its
    condition is read again by the database as it writes, so of two only one wins)."""
    now = now or timezone.now()
    claimable = Q(status=EmailStatus.QUEUED) | lost(now=now)
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
