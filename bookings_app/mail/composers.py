"""Who writes each kind of stored e-mail, and what it is called on the Sent e-mails pages.

Every app composes its own kinds and stores them in the ``outbox``: the booking app's in
``booking_emails`` (the team's request notices in ``services.requests``), loyalty's in
``loyalty.notifications``, automations' in ``automations.actions.emails``. Apps with kinds of
their own name them from their ``AppConfig.ready``, so the booking app never reaches back into
them. A kind nobody named shows as stored.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
