"""The owner's loyalty e-mail texts: plain text with a few named variables.

Rendered as ``bookings_app.display.email_wording`` renders every owner's text, so nothing but a
listed variable is reachable. An empty text means the default wording, translated into the
client's language when it is sent.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from bookings_app.display.email_wording import fill, refuse_unknown

VARIABLES = (
    "client_name",
    "client_first_name",
    "points",
    "balance",
    "service_name",
    "description",
    "business_name",
)


StrOrPromise = str | Promise


@dataclass(frozen=True)
class Wording:
    """One e-mail's default subject and body, translated when used."""

    subject: StrOrPromise
    body: StrOrPromise


POINTS_EARNED_DEFAULT = Wording(
    subject=_("You earned {points} points at {business_name}"),
    body=_(
        "Hello {client_first_name},\n\n"
        "Thank you for coming to {service_name}: you earned {points} points.\n\n"
        "Your balance is now {balance} points. Exchange them for a gift card whenever you like.\n\n"
        "See you soon,\n{business_name}"
    ),
)

BALANCE_CHANGED_DEFAULT = Wording(
    subject=_("Your points balance at {business_name} has changed"),
    body=_(
        "Hello {client_first_name},\n\n"
        "Your points balance changed by {points}: {description}\n\n"
        "Your balance is now {balance} points.\n\n"
        "{business_name}"
    ),
)


def validate_template(template: str) -> None:
    """Refuse a text naming a variable the e-mail does not offer (a typo the client would see)."""
    refuse_unknown(template, VARIABLES, code="unknown_variable")


def render_template(template: str, values: dict[str, object]) -> str:
    """The text with each offered variable replaced; anything else left as typed."""
    return fill(template, values, VARIABLES)


def effective(owner_text: str, default: StrOrPromise) -> str:
    """The owner's text, or the default translated into the active language."""
    return owner_text if owner_text.strip() else str(default)


def body_html(body_text: str) -> SafeString:
    """The rendered body as HTML paragraphs; every value the client or owner typed is escaped."""
    return mark_safe(linebreaks(escape(body_text)))  # escaped on the line itself
