"""The mail outbox: every message Rendez sends is an ``OutgoingEmail`` row first.

A message is stored in the caller's transaction, so it exists if and only if the change does,
and handed to the workers by task name after commit (``hand_over``). Its ``dedupe_key`` exists
once, so a service that runs twice stores one message; the worker claims the row before sending
(``delivery``), so a task that runs twice sends one. The sweep hands over again what a lost
broker message or a dead worker left behind, which only delays mail.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import make_msgid
from django.db import IntegrityError
from django.db.models import F, Q
from django.utils import timezone

from ..core import hand_over
from ..core.transactions import attempt, insert, on_commit_together
from ..models import Booking, Business, Client, EmailStatus, OutgoingEmail
from . import composers
from .delivery import MAX_ATTEMPTS, SEND_MANY, SEND_ONE, lost

SWEEP_GRACE = timedelta(minutes=1)  # younger queued rows still have their task on the way
SWEEP_BATCH = 500
SEND_BATCH = 50  # messages committed together that one task sends


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
    about: dict | None = None,
) -> OutgoingEmail | None:
    """Store a message and hand it to the workers after the caller's commit.

    Call it inside the caller's transaction. A ``dedupe_key`` already stored returns None and
    stores nothing (the unique key refuses it; inside ``transactions.all_or_nothing()`` it
    spoils the caller's transaction instead). ``attachments`` are ``{"filename", "mimetype",
    "content": <base64>}`` dicts. A caller sending many messages passes the ``business`` it read.
    A message its kind's composer writes when it is sent comes with an empty subject and body
    and what it is ``about`` (``composers``).
    """
    business = business or Business.current()
    email = OutgoingEmail(
        kind=kind,
        dedupe_key=dedupe_key,
        to=to,
        from_email=sender(business),
        subject=" ".join(subject.split())[:250],
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        language=language or business.language,
        client=client,
        booking=booking,
        about=about or {},
        headers={"Message-ID": _message_id(business), **(headers or {})},
    )
    try:
        with attempt():
            insert(email)
    except IntegrityError:  # stored already, maybe by a concurrent call
        return None
    on_commit_together(_hand_over_stored, email)
    return email


def is_stored(dedupe_key: str) -> bool:
    return OutgoingEmail.objects.filter(dedupe_key=dedupe_key).exists()


def sender(business: Business) -> str:
    name = business.name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}" <{business.sender_email}>'


def _message_id(business: Business) -> str:
    return make_msgid(domain=business.sender_email.rpartition("@")[2] or None)


def _hand_over_stored(emails: list[OutgoingEmail]) -> None:
    """The messages one transaction stored (automation runs commit many together)."""
    hand_over_by_kind([(email.pk, email.kind) for email in emails])


def hand_over_by_kind(emails: list[tuple[int, str]]) -> None:
    """(id, kind) of stored messages to the workers: on the mail queue (``MAIL_QUEUE``), when
    there is one, except the kinds that are slow to write (a receipt's PDF), which would hold
    up the confirmations behind them there."""
    quick = [pk for pk, kind in emails if not composers.writes_slowly(kind)]
    slow = [pk for pk, kind in emails if composers.writes_slowly(kind)]
    if quick:
        hand_over_to_workers(quick, queue=settings.MAIL_QUEUE or None)
    if slow:
        hand_over_to_workers(slow)


def hand_over_to_workers(email_ids: list[int], *, queue: str | None = None) -> None:
    """One task for one message, one task for each ``SEND_BATCH`` of several. With the broker
    down this logs and returns: the messages are stored, the sweep hands them over later."""
    if len(email_ids) == 1:
        hand_over.send_now(SEND_ONE, email_ids[0], queue=queue)
        return
    for start in range(0, len(email_ids), SEND_BATCH):
        if not hand_over.send_now(SEND_MANY, email_ids[start : start + SEND_BATCH], queue=queue):
            return


def send_due_emails() -> int:
    """The sweep: hand over queued messages whose task seems lost, and stale "sending" ones.

    A queued message is due a minute after it was stored or last tried; a "sending" one once
    its worker is lost (seconds after it died) or after ``delivery.CLAIM_TIMEOUT``. Stale ones
    out of attempts are marked failed. Returns how many were handed over.
    """
    now = timezone.now()
    stale = lost(now=now)
    OutgoingEmail.objects.filter(stale, attempts__gte=MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED, last_error="The worker was lost while sending; no attempts left."
    )
    waiting = Q(status=EmailStatus.QUEUED, created_at__lt=now - SWEEP_GRACE) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - SWEEP_GRACE)
    )
    due = list(
        OutgoingEmail.objects.filter(waiting | stale, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", "kind")[:SWEEP_BATCH]
    )
    if due:
        hand_over_by_kind(due)
    return len(due)


def file_as_sent(*, stored_since) -> int:
    """File the messages still queued that were stored since then as sent, without sending
    them (the demo's history: its clients were told long ago), written as they would have
    been. Returns how many."""
    waiting = OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, created_at__gte=stored_since)
    for email in waiting.filter(body_text=""):
        composers.write_when_sent(email)
    return waiting.update(status=EmailStatus.SENT, sent_at=F("created_at"))
