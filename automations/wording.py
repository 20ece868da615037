"""The owner's subject and text in automation e-mails and tasks: plain text with named variables.

The same approach as ``bookings_app.display.email_wording``: a ``{variable}`` is replaced by its value
and nothing else is reachable (no attributes, indexes or format specs), so a template can
never read settings or objects. Each variable says what the trigger must offer for it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bookings_app.display.email_wording import braced, fill, refuse_unknown, variables_in

from . import integrations

if TYPE_CHECKING:
    from .context import RunContext


@dataclass(frozen=True)
class Variable:
    name: str
    label: str | Promise
    needs: str  # what the trigger must offer: "client", "service", "session", … ("" for always)
    read: Callable[["RunContext"], object]


def _session_start(context: "RunContext") -> str:
    if context.session is None:
        return ""
    tz = (context.client and context.client.tz) or context.business.tz
    return date_format(timezone.localtime(context.session.start, tz), "DATETIME_FORMAT")


def _payment_amount(context: "RunContext") -> str:
    """The event's amount with its currency ("20.00 EUR"), in the reader's number format."""
    amount, currency = context.facts.get("amount"), context.facts.get("currency", "")
    if amount in (None, ""):
        return ""
    return f"{number_format(Decimal(str(amount)), 2)} {currency}".strip()


def _plan_name(context) -> str:
    pack = context.client_plan
    return pack.plan.name if pack else context.facts.get("plan_name", "")


def _plan_valid_until(context: "RunContext") -> str:
    pack = context.client_plan
    if pack is None or pack.valid_until is None:
        return ""
    tz = (context.client and context.client.tz) or context.business.tz
    return date_format(timezone.localtime(pack.valid_until, tz), "DATE_FORMAT")


VARIABLES: dict[str, Variable] = {
    variable.name: variable
    for variable in (
        Variable("client_first_name", _("client's first name"), "client", lambda c: c.client.first_name),
        Variable("client_name", _("client's name"), "client", lambda c: c.client.full_name),
        Variable("service_name", _("service"), "service", lambda c: c.service.name),
        Variable("session_start", _("session date and time"), "session", _session_start),
        Variable("staff_name", _("staff member"), "session", lambda c: c.session.staff.name),
        Variable("business_name", _("business name"), "", lambda c: c.business.name),
        Variable(
            "points_balance",
            _("points balance"),
            "client",
            lambda c: integrations.variable_providers.value("points_balance", c.client, default="0"),
        ),
        Variable("points_earned", _("points earned"), "points", lambda c: c.facts.get("points", "")),
        Variable("payment_amount", _("amount paid or refunded"), "payment", _payment_amount),
        Variable("plan_name", _("plan name"), "plan", _plan_name),
        Variable("plan_credits_left", _("credits left"), "plan", lambda c: c.client_plan.credits_left),
        Variable("plan_valid_until", _("plan valid until"), "plan", _plan_valid_until),
    )
}


def validate_template(template: str, *, offers: frozenset[str]) -> None:
    """Refuse unknown variables, and variables this trigger cannot fill, naming what may be used."""
    offered = [v.name for v in VARIABLES.values() if not v.needs or v.needs in offers]
    refuse_unknown(template, VARIABLES, usable=offered)
    missing = [name for name in variables_in(template) if name not in offered]
    if missing:
        raise ValidationError(
            _("This trigger does not know %(names)s. You can use: %(offered)s."),
            params={"names": braced(missing), "offered": braced(offered)},
        )


def values_for(context: "RunContext", *templates: str) -> dict[str, str]:
    """The variables this run can fill: those the templates use, or every one when no template
    is given (a points balance is read only for a message that shows it). The others are
    left out (rendered empty)."""
    names = _names_in(templates) if templates else VARIABLES.keys()
    values = {}
    for name in names:
        try:
            values[name] = str(VARIABLES[name].read(context))
        except AttributeError:  # the run has no client, session… for it
            values[name] = ""
    return values


def _names_in(templates: tuple[str, ...]) -> set[str]:
    try:
        return {name for template in templates for name in variables_in(template) if name in VARIABLES}
    except ValidationError:  # saved before validation refused it: fill what can be filled
        return set(VARIABLES)


def render(template: str, values: dict[str, str]) -> str:
    """The text with each known variable replaced; anything else left as typed. A text with a
    lone brace (refused by ``validate_template``, but previewed while typed) stays as typed."""
    try:
        return fill(template, values, VARIABLES)
    except ValueError:
        return template
