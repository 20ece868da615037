"""Who writes each kind of stored e-mail, and what it is called on the Sent e-mails pages.

Every app composes its own kinds and stores them in the ``outbox``: the booking app's in
``booking_emails`` (the team's request notices in ``services.requests``), loyalty's in
``loyalty.notifications``, automations' in ``automations.actions.emails``. Most store a message
written; a composer registered here writes its kinds when they are sent instead, from what they
are about as it is then (a confirmation tells what the checkout that made it paid). Apps with
kinds of their own name them from their ``AppConfig.ready``, so the booking app never reaches
back into them. A kind nobody named shows as stored.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ..models import OutgoingEmail

Write = Callable[["OutgoingEmail"], dict]
_WRITERS: dict[str, Write] = {}
_SLOW: set[str] = set()  # kinds whose writing takes long (a PDF): kept off the mail queue

_NAMES: dict[str, Promise | str] = {
    "confirmation": _("Booking confirmation"),
    "reminder": _("Reminder"),
    "reschedule": _("Booking moved"),
    "cancellation": _("Booking cancelled"),
    "request_received": _("Booking request received"),
    "request_declined": _("Request declined"),
    "request_expired": _("Request expired"),
    "team_request_new": _("New request, to the team"),
    "team_request_waiting": _("Request still waiting, to the team"),
}


def name_email_kind(kind: str, name: Promise | str) -> None:
    _NAMES[kind] = name


def email_kind_name(kind: str) -> Promise | str:
    return _NAMES.get(kind, kind)


def register_composer(kinds: Iterable[str], write: Write, *, slow: bool = False) -> None:
    """``write(email)`` returns the ``subject``, ``body_text``, ``body_html`` and ``attachments``
    of a stored message of one of ``kinds``, from what it is about, in its ``language``.
    ``slow``: writing takes a second or more (a PDF to render), so these messages go to the
    ordinary queue, not the mail queue, where a confirmation would wait behind them."""
    for kind in kinds:
        _WRITERS[kind] = write
        if slow:
            _SLOW.add(kind)


def writes_slowly(kind: str) -> bool:
    return kind in _SLOW


def write_when_sent(email: "OutgoingEmail") -> None:
    """Fill in a message stored unwritten, by its kind's composer, and save what it says (the
    row keeps what was sent). A written message is left as it is."""
    if email.is_written:
        return
    written = _WRITERS[email.kind](email)
    for field, value in written.items():
        setattr(email, field, value)
    email.save(update_fields=list(written))
