"""What every action is made of: its type, the registry, the settings helpers.

The action modules import this one, never the package, so that importing the package (which
imports them to fill the registry) makes no cycle.
"""

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bookings_app.web.request_input import BIGINT_MAX, bounded_int

from ..registry import Registry
from ..wording import validate_template

if TYPE_CHECKING:
    from ..context import RunContext


class ActionFailed(Exception):
    """The action could not be done. ``retry``: worth trying later (webhook 500, mail server down)."""

    def __init__(self, message: Any, *, retry: bool) -> None:
        self.message, self.retry = str(message), retry
        super().__init__(self.message)


class ActionType:
    key: ClassVar[str]
    label: ClassVar[str | Promise]
    needs: ClassVar[frozenset[str]] = frozenset()
    emails_client: ClassVar[bool] = False
    transactional: ClassVar[bool] = True

    def validate(self, settings: dict, *, offers: frozenset[str]) -> dict:
        return {}

    def perform(self, context: "RunContext", settings: dict, *, position: int) -> str:
        raise NotImplementedError


action_types: Registry[ActionType] = Registry("action")


def register(action_class: type[ActionType]) -> type[ActionType]:
    action_types.register(action_class())
    return action_class


def template_setting(
    settings: dict, name: str, label: Any, *, offers: frozenset[str], required: bool = True
) -> str:
    """A text setting with variables, checked against what the trigger offers."""
    text = str(settings.get(name) or "").strip()
    if required and not text:
        raise ValidationError(_("Write the %(setting)s."), params={"setting": label})
    validate_template(text, offers=offers)
    return text


def number_setting(
    settings: dict, name: str, label: Any, *, minimum: int, maximum: int, default: int | None = None
) -> int:
    value = settings.get(name, default)
    number = (
        value
        if isinstance(value, int) and not isinstance(value, bool)
        else bounded_int(str(value), minimum=-BIGINT_MAX, maximum=BIGINT_MAX)
    )
    if number is None:
        raise ValidationError(_("The %(setting)s must be a whole number."), params={"setting": label})
    if number < minimum:
        raise ValidationError(
            _("The %(setting)s must be at least %(minimum)s."), params={"setting": label, "minimum": minimum}
        )
    if number > maximum:
        raise ValidationError(
            _("The %(setting)s must be at most %(maximum)s."), params={"setting": label, "maximum": maximum}
        )
    return number


def run_key(context: "RunContext", position: int) -> str:
    """Names this action of this run, for stores that dedupe (e-mails, points)."""
    return f"run:{context.run.pk}:{position}"
