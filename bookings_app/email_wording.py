"""The owner's own wording in booking e-mails: plain text with a few named variables.

A ``{variable}`` is replaced by its value and nothing else is reachable: no attributes,
no indexes, no format specs, so the owner's text cannot read settings or objects.
"""

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VARIABLES = ("client_first_name", "service_name", "session_start", "staff_name", "business_name")


def unknown_variables(template: str) -> list[str]:
    """Names in ``template`` that are not offered, in order of appearance; [] when fine.

    Raises ValidationError for text that is not a valid template (a lone brace).
    """
    try:
        fields = [field for _literal, field, _spec, _conv in Formatter().parse(template) if field is not None]
    except ValueError as e:
        raise ValidationError(_("Use {name} for a variable, and {{ or }} for a literal brace.")) from e
    return [field for field in fields if field not in VARIABLES]


def validate_wording(template: str) -> None:
    unknown = unknown_variables(template)
    if unknown:
        raise ValidationError(
            _("Unknown variable: %(names)s. You can use: %(offered)s."),
            params={"names": ", ".join("{" + name + "}" for name in unknown),
                    "offered": ", ".join("{" + name + "}" for name in VARIABLES)},
        )


def render_wording(template: str, values: dict[str, str]) -> str:
    """The text with each offered variable replaced; anything else left as typed."""
    pieces = []
    for literal, field, _spec, _conv in Formatter().parse(template):
        pieces.append(literal)
        if field is not None:
            pieces.append(str(values.get(field, "{" + field + "}")) if field in VARIABLES else "{" + field + "}")
    return "".join(pieces)
