"""The owner's own wording in e-mails: plain text with a few named variables.

A ``{variable}`` is replaced by its value and nothing else is reachable: no attributes,
no indexes, no format specs, so the owner's text cannot read settings or objects. The
functions that take the ``known`` variables serve every app's e-mails (automations,
loyalty); ``VARIABLES`` and the last two are the booking e-mails' own.
"""

from collections.abc import Collection, Mapping
from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VARIABLES = ("client_first_name", "service_name", "session_start", "staff_name", "business_name")


def variables_in(template: str) -> list[str]:
    """The variable names in ``template``, in order; raises ValidationError for a lone brace."""
    try:
        return [name for _literal, name, _spec, _conv in Formatter().parse(template) if name is not None]
    except ValueError as e:
        raise ValidationError(_("Use {name} for a variable, and {{ or }} for a literal brace.")) from e


def refuse_unknown(
    template: str, known: Collection[str], *, usable: Collection[str] | None = None, code: str | None = None
) -> None:
    """Raise ValidationError naming the variables of ``template`` not ``known``, and those
    ``usable`` here (every known one unless told)."""
    unknown = [name for name in variables_in(template) if name not in known]
    if unknown:
        raise ValidationError(
            _("Unknown variable: %(names)s. You can use: %(offered)s."),
            params={"names": braced(unknown), "offered": braced(known if usable is None else usable)},
            code=code,
        )


def braced(names: Collection[str]) -> str:
    return ", ".join("{" + name + "}" for name in names)


def fill(template: str, values: Mapping[str, object], known: Collection[str]) -> str:
    """The text with each known variable replaced by its value (empty when it has none);
    any other brace left as typed, spec and conversion dropped."""
    pieces = []
    for literal, name, _spec, _conv in Formatter().parse(template):
        pieces.append(literal)
        if name is not None:
            pieces.append(str(values.get(name, "")) if name in known else "{" + name + "}")
    return "".join(pieces)


def validate_wording(template: str) -> None:
    refuse_unknown(template, VARIABLES)


def render_wording(template: str, values: dict[str, str]) -> str:
    return fill(template, values, VARIABLES)
