"""Booking e-mails: the kinds the booking app writes to clients, stored in the mail outbox.

Each kind is written by its templates (``booking_content``); the owner may switch a kind off
or give it a subject and an opening paragraph of their own (``BookingEmailSetting``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ..models import Booking, BookingEmailSetting, OutgoingEmail
from . import booking_content, outbox


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


BOOKING_EMAILS: dict[str, BookingEmail] = {
    "confirmation": booking_email("confirmation", attach_calendar=True, whole_enrollment=True),
    "cancellation": booking_email("cancellation", attach_calendar=False, whole_enrollment=True),
    "reschedule": booking_email("reschedule", attach_calendar=True, once_per_start=True),
    "reminder": booking_email("reminder", attach_calendar=True, once_per_start=True),
    "request_received": booking_email("request_received", attach_calendar=False),
    "request_declined": booking_email("request_declined", attach_calendar=False),
    "request_expired": booking_email("request_expired", attach_calendar=False),
}

_held: ContextVar[list[dict] | None] = ContextVar("booking_emails_held", default=None)


def queue_booking_email(
    *, booking: Booking, kind: str, manage_url: str = "", message: str = ""
) -> OutgoingEmail | None:
    """Store the ``kind`` e-mail for ``booking`` and send it after the caller's commit.

    Call inside the caller's transaction, so the message exists if and only if the change
    does. Written in the client's language and time zone (else the business's). Returns
    None when this message was already stored (its ``dedupe_key`` exists), and inside
    ``written_as_the_block_ends()``. Raises KeyError for a kind not in ``BOOKING_EMAILS``.
    """
    if kind not in BOOKING_EMAILS:
        raise KeyError(kind)
    request = {"booking": booking, "kind": kind, "manage_url": manage_url, "message": message}
    held = _held.get()
    if held is not None:
        held.append(request)
        return None
    return _store(**request)


@contextmanager
def written_as_the_block_ends() -> Iterator[None]:
    """Booking e-mails asked for inside the block are written and stored as it ends, from the
    bookings as the whole block left them: a checkout's confirmation tells what was paid."""
    held: list[dict] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    for request in held:
        _store(**request)


def _store(*, booking: Booking, kind: str, manage_url: str, message: str) -> OutgoingEmail | None:
    email_kind = BOOKING_EMAILS[kind]
    owner_choice = BookingEmailSetting.objects.filter(kind=kind).first()
    if owner_choice and not owner_choice.is_enabled:
        return None
    booking = booking_content.with_details(booking)
    dedupe_key = _dedupe_key(booking=booking, kind=kind, email_kind=email_kind)
    if outbox.is_stored(dedupe_key):
        return None
    written = booking_content.write(
        booking=booking,
        email_kind=email_kind,
        manage_url=manage_url,
        message=message,
        owner_choice=owner_choice,
    )
    return outbox.queue_email(kind=kind, dedupe_key=dedupe_key, **written)


def _dedupe_key(*, booking: Booking, kind: str, email_kind: BookingEmail) -> str:
    version = int(booking.session.start.timestamp()) if email_kind.once_per_start else booking.pk
    return f"booking:{booking.pk}:{kind}:{version}"
