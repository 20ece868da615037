"""Booking e-mails: the kinds the booking app writes to clients, stored in the mail outbox.

A booking e-mail is stored unwritten, with the booking it is about, and written when it is
sent (``booking_content``), so it tells the booking as it is then: a checkout's confirmation
says what the gift card paid. The owner may switch a kind off (checked when it is stored) or
give it a subject and an opening paragraph of their own (``BookingEmailSetting``).
"""

from dataclasses import dataclass

from ..models import Booking, BookingEmailSetting, Business, OutgoingEmail
from . import booking_content, composers, outbox
from .recipients import language_for


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


def queue_booking_email(
    *, booking: Booking, kind: str, manage_url: str = "", message: str = ""
) -> OutgoingEmail | None:
    """Store the ``kind`` e-mail for ``booking``, to be written and sent after the caller's commit.

    Call inside the caller's transaction, so the message exists if and only if the change
    does. It is written in the client's language (else the business's) as of now, and time
    zone. Returns None when the owner switched the kind off or this message was already
    stored (its ``dedupe_key`` exists). Raises KeyError for a kind not in ``BOOKING_EMAILS``.
    """
    email_kind = BOOKING_EMAILS[kind]
    owner_choice = BookingEmailSetting.objects.filter(kind=kind).first()
    if owner_choice and not owner_choice.is_enabled:
        return None
    booking = booking_content.with_details(booking.pk)
    dedupe_key = _dedupe_key(booking=booking, kind=kind, email_kind=email_kind)
    if outbox.is_stored(dedupe_key):
        return None
    business, client = Business.current(), booking.client
    return outbox.queue_email(
        kind=kind,
        dedupe_key=dedupe_key,
        to=client.email,
        subject="",
        body_text="",
        client=client,
        booking=booking,
        language=language_for(client, business),
        about={"manage_url": manage_url, "message": message},
        business=business,
    )


def write_booking_email(email: OutgoingEmail) -> dict:
    """The booking e-mail ``email`` as its booking is now (its composer, for the outbox)."""
    if email.booking_id is None:
        raise LookupError("the booking this e-mail is about was deleted")
    return booking_content.write(
        booking=booking_content.with_details(email.booking_id),
        email_kind=BOOKING_EMAILS[email.kind],
        language=email.language,
        owner_choice=BookingEmailSetting.objects.filter(kind=email.kind).first(),
        manage_url=email.about.get("manage_url", ""),
        message=email.about.get("message", ""),
    )


def _dedupe_key(*, booking: Booking, kind: str, email_kind: BookingEmail) -> str:
    version = int(booking.session.start.timestamp()) if email_kind.once_per_start else booking.pk
    return f"booking:{booking.pk}:{kind}:{version}"


composers.register_composer(BOOKING_EMAILS, write_booking_email)
