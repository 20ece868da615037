"""Condition criteria: the fields a condition tests, each typed, with the operators that fit.

A condition is a list of groups of criteria ``{"field", "operator", "value"}``: it holds when
any group holds, and a group holds when all its criteria hold. It is evaluated when the run
is due, on fresh data. Adding a field is one ``register(Field(...))``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bookings_app.models import Attendance, Booking, BookingStatus, Label, Payment, PlanKind, Service
from bookings_app.models.payments import CHARGED_STATUSES, IN_PERSON_PROVIDERS
from bookings_app.selectors import active_client_plans
from bookings_app.web.request_input import finite_number

from .registry import Registry

if TYPE_CHECKING:
    from .context import RunContext


@dataclass(frozen=True)
class Operator:
    key: str
    label: str | Promise
    test: Callable[[Any, Any], bool]
    takes_value: bool = True


def _text(value: Any) -> str:
    return str(value or "").casefold()


def _number(value: Any) -> float:
    return float(value or 0)


def _operators(*operators: Operator) -> dict[str, Operator]:
    return {operator.key: operator for operator in operators}


@dataclass(frozen=True)
class ValueType:
    key: str
    operators: dict[str, Operator]
    clean: Callable[[Any], Any]  # the value in JSON form; raises ValueError


def _clean_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    return value.strip()


def _clean_number(value: Any) -> int | float:
    number = finite_number(value)  # NaN and 1e309 have no place in a stored condition (nor in JSON)
    if number is None:
        raise ValueError
    return int(number) if number.is_integer() else number


# Years a business can mean in a condition; year 1 or 9999 is a slip of the keyboard.
CONDITION_YEARS = range(1900, 3000)


def _clean_date(value: Any) -> str:
    day = date.fromisoformat(str(value))
    if day.year not in CONDITION_YEARS:
        raise ValueError
    return day.isoformat()


TEXT = ValueType(
    "text",
    _operators(
        Operator("is", _("is"), lambda actual, value: _text(actual) == _text(value)),
        Operator("is_not", _("is not"), lambda actual, value: _text(actual) != _text(value)),
        Operator("contains", _("contains"), lambda actual, value: _text(value) in _text(actual)),
        Operator(
            "starts_with", _("starts with"), lambda actual, value: _text(actual).startswith(_text(value))
        ),
        Operator("ends_with", _("ends with"), lambda actual, value: _text(actual).endswith(_text(value))),
        Operator(
            "is_empty", _("is empty"), lambda actual, value: not _text(actual).strip(), takes_value=False
        ),
    ),
    _clean_text,
)
NUMBER = ValueType(
    "number",
    _operators(
        Operator("eq", _("equals"), lambda actual, value: _number(actual) == _number(value)),
        Operator("ne", _("does not equal"), lambda actual, value: _number(actual) != _number(value)),
        Operator("gt", _("is greater than"), lambda actual, value: _number(actual) > _number(value)),
        Operator("lt", _("is less than"), lambda actual, value: _number(actual) < _number(value)),
    ),
    _clean_number,
)


def _day(value: str) -> date:
    return date.fromisoformat(value)


DATE = ValueType(
    "date",
    _operators(
        Operator("before", _("is before"), lambda actual, value: actual is not None and actual < _day(value)),
        Operator("after", _("is after"), lambda actual, value: actual is not None and actual > _day(value)),
        Operator("on", _("is on"), lambda actual, value: actual is not None and actual == _day(value)),
    ),
    _clean_date,
)
CHOICE = ValueType(
    "choice",
    _operators(
        Operator("is", _("is"), lambda actual, value: actual == value),
        Operator("is_one_of", _("is one of"), lambda actual, value: actual in value),
        Operator("is_not", _("is not"), lambda actual, value: actual != value),
    ),
    lambda value: value,
)
LABELS = ValueType(
    "labels",
    _operators(
        Operator("has_label", _("has the label"), lambda actual, value: value in actual),
        Operator("has_not_label", _("does not have the label"), lambda actual, value: value not in actual),
    ),
    lambda value: int(value),
)
BOOLEAN = ValueType(
    "boolean",
    _operators(
        Operator("is_true", _("is yes"), lambda actual, value: bool(actual), takes_value=False),
        Operator("is_false", _("is no"), lambda actual, value: not actual, takes_value=False),
    ),
    lambda value: value,
)

ANY_KIND = "any"
PLAN_KINDS = ValueType(
    "plan_kinds",
    _operators(
        Operator("has", _("has one of kind"), lambda actual, value: value in actual),
        Operator("has_not", _("has none of kind"), lambda actual, value: value not in actual),
    ),
    _clean_text,
)


@dataclass(frozen=True)
class Field:
    """A fact about the run; ``needs`` is what the trigger must offer ("client", "booking", …)."""

    key: str
    label: str | Promise
    type: ValueType
    needs: str
    read: Callable[["RunContext"], Any]
    choices: Callable[[], list[tuple[Any, str]]] | None = None  # for choice and label fields


fields: Registry[Field] = Registry("condition field")
register = fields.register


def _local_date(moment: datetime | None, context: "RunContext") -> date | None:
    return timezone.localtime(moment, context.business.tz).date() if moment else None


def _client_bookings(context: "RunContext"):
    return Booking.objects.filter(client=context.client) if context.client else Booking.objects.none()


register(
    Field(
        "booking_created",
        _("Booking created date"),
        DATE,
        "booking",
        lambda c: _local_date(c.booking and c.booking.created_at, c),
    )
)
register(
    Field(
        "session_start",
        _("Session start date"),
        DATE,
        "session",
        lambda c: _local_date(c.session and c.session.start, c),
    )
)
register(
    Field(
        "service",
        _("Service"),
        CHOICE,
        "service",
        lambda c: c.service and c.service.pk,
        choices=lambda: list(Service.objects.order_by("name").values_list("pk", "name")),
    )
)
register(Field("client_email", _("Client's e-mail"), TEXT, "client", lambda c: c.client and c.client.email))
register(
    Field(
        "client_first_name",
        _("Client's first name"),
        TEXT,
        "client",
        lambda c: c.client and c.client.first_name,
    )
)
register(
    Field(
        "client_label",
        _("Client"),
        LABELS,
        "client",
        lambda c: set(c.client.labels.values_list("pk", flat=True)) if c.client else set(),
        choices=lambda: list(Label.objects.values_list("pk", "name")),
    )
)
register(
    Field(
        "visits",
        _("Number of visits"),
        NUMBER,
        "client",
        lambda c: _client_bookings(c).filter(attendance=Attendance.CHECKED_IN).count(),
    )
)
register(
    Field(
        "cancellations",
        _("Number of cancellations"),
        NUMBER,
        "client",
        lambda c: _client_bookings(c).filter(status=BookingStatus.CANCELLED).count(),
    )
)
register(
    Field(
        "booking_status",
        _("Booking status"),
        CHOICE,
        "booking",
        lambda c: c.booking and c.booking.status,
        choices=lambda: list(BookingStatus.choices),
    )
)
register(
    Field(
        "attendance",
        _("Attendance"),
        CHOICE,
        "booking",
        lambda c: (c.booking.attendance or "none") if c.booking else None,
        choices=lambda: [*Attendance.choices, ("none", _t("Not recorded"))],
    )
)
register(
    Field(
        "booking_paid",
        _("Booking is paid"),
        BOOLEAN,
        "booking",
        lambda c: bool(c.booking and c.booking.paid_at),
    )
)

register(
    Field(
        "paid_online",
        _("Booking is paid online"),
        BOOLEAN,
        "booking",
        lambda c: (
            bool(c.booking)
            and Payment.objects.filter(booking=c.booking, status__in=CHARGED_STATUSES)
            .exclude(provider__in=IN_PERSON_PROVIDERS)
            .exists()
        ),
    )
)


def _active_plan_kinds(context: "RunContext") -> set[str]:
    """The kinds of the client's plans that can still book, and "any" when there is one."""
    if context.client is None:
        return set()
    plans = active_client_plans(now=timezone.now()).filter(client=context.client)
    kinds = set(plans.values_list("plan__kind", flat=True))
    return kinds | {ANY_KIND} if kinds else kinds


register(
    Field(
        "active_plan",
        _("Client's active plans"),
        PLAN_KINDS,
        "client",
        _active_plan_kinds,
        choices=lambda: [(ANY_KIND, _t("Any plan")), *PlanKind.choices],
    )
)


# --- Validation at save ----------------------------------------------------------------


def validate_conditions(conditions: Any, *, offers: frozenset[str]) -> list[list[dict]]:
    """The conditions with each value in its JSON form; raises ValidationError listing every problem."""
    if conditions in (None, ""):
        return []
    if not isinstance(conditions, list) or not all(isinstance(group, list) and group for group in conditions):
        raise ValidationError(_("A condition is a list of groups, each with at least one criterion."))
    cleaned, problems = [], []
    for group in conditions:
        cleaned_group = []
        for criterion in group:
            try:
                cleaned_group.append(clean_criterion(criterion, offers=offers))
            except ValidationError as error:
                problems.extend(error.messages)
        cleaned.append(cleaned_group)
    if problems:
        raise ValidationError(problems)
    return cleaned


def clean_criterion(criterion: Any, *, offers: frozenset[str]) -> dict:
    if not isinstance(criterion, dict):
        raise ValidationError(_("A criterion names a field, an operator and a value."))
    field = fields.get(criterion.get("field", ""))
    if field is None:
        raise ValidationError(
            _("“%(field)s” is not something a condition can test."), params={"field": criterion.get("field")}
        )
    if field.needs not in offers:
        raise ValidationError(_("“%(field)s” is not known for this trigger."), params={"field": field.label})
    operator = field.type.operators.get(criterion.get("operator", ""))
    if operator is None:
        raise ValidationError(
            _("“%(operator)s” does not fit “%(field)s”; use one of: %(operators)s."),
            params={
                "operator": criterion.get("operator"),
                "field": field.label,
                "operators": ", ".join(str(op.label) for op in field.type.operators.values()),
            },
        )
    value = _clean_value(field, operator, criterion.get("value")) if operator.takes_value else None
    return {"field": field.key, "operator": operator.key, "value": value}


def _clean_value(field: Field, operator: Operator, value: Any) -> Any:
    problem = ValidationError(
        _("“%(value)s” is not a valid value for “%(field)s”."), params={"value": value, "field": field.label}
    )
    values = value if operator.key == "is_one_of" else [value]
    if not isinstance(values, list) or not values:
        raise ValidationError(_("Choose at least one value for “%(field)s”."), params={"field": field.label})
    try:
        cleaned = [field.type.clean(each) for each in values]
    except (TypeError, ValueError):
        raise problem from None
    if field.choices is not None:  # "3" from a form is service 3
        allowed = {str(key): key for key, _label in field.choices()}
        if any(str(each) not in allowed for each in cleaned):
            raise problem
        cleaned = [allowed[str(each)] for each in cleaned]
    return cleaned if operator.key == "is_one_of" else cleaned[0]


# --- Evaluation when the run is due ----------------------------------------------------


def evaluate(conditions: list[list[dict]], context: "RunContext") -> tuple[bool, str]:
    """(holds, why not): the first criterion that failed in each group, in words."""
    failures = []
    for group in conditions:
        failed = next((criterion for criterion in group if not _holds(criterion, context)), None)
        if failed is None:
            return True, ""
        failures.append(describe(failed, context))
    return (not conditions), _t(" or ").join(failures)


def _holds(criterion: dict, context: "RunContext") -> bool:
    field = fields.get(criterion["field"])
    if field is None:
        return False
    operator = field.type.operators[criterion["operator"]]
    return operator.test(field.read(context), criterion.get("value"))


def describe(criterion: dict, context: "RunContext | None" = None) -> str:
    """“Booking status is Confirmed (it is Cancelled)”, in the active language."""
    field = fields.get(criterion["field"])
    if field is None:
        return criterion["field"]
    operator = field.type.operators[criterion["operator"]]
    words = f"{field.label} {operator.label}"
    if operator.takes_value:
        words += " " + _shown(field, criterion.get("value"))
    if context is not None and field.type not in (LABELS, PLAN_KINDS):
        actual = field.read(context)
        words += " (" + _t("it is %(actual)s") % {"actual": _shown(field, actual)} + ")"
    return words


def _shown(field: Field, value: Any) -> str:
    if value is None or value == "":
        return _t("empty")
    if isinstance(value, bool):
        return _t("yes") if value else _t("no")
    if isinstance(value, list):
        return ", ".join(_shown(field, each) for each in value)
    if field.choices is not None:
        names = {str(key): name for key, name in field.choices()}  # "3" from a form is service 3
        return str(names.get(str(value), value))
    return str(value)
