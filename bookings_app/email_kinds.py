"""What each kind of stored e-mail is called on the dashboard's Sent e-mails pages.

Apps that send kinds of their own (loyalty, automations) name them from their ``AppConfig.ready``,
so the booking app never reaches back into them. A kind nobody named shows as stored.
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
