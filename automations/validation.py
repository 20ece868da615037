"""Refusing a bad automation at save, with messages the owner can act on.

``validate_automation`` checks everything (trigger, parameters, delay, frequency, service
filter, condition, actions) and raises one ValidationError mapping each field to its
messages; the model ``clean()`` methods call the parts, so the admin refuses the same things.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bookings_app.models import Service

from .actions.base import action_types
from .criteria import validate_conditions
from .models import Automation, DelayDirection, DelayUnit, Frequency, checks
from .triggers import Trigger, triggers

NEEDS = {"client": _("a client"), "session": _("a session"), "booking": _("a booking")}
# The longest wait an automation may hold, in each unit: a year.
MAX_DELAY = {DelayUnit.MINUTES: 365 * 24 * 60, DelayUnit.HOURS: 365 * 24, DelayUnit.DAYS: 365}
MAX_FREQUENCY_DAYS = 3650  # "once per client every ten years" is the rarest that means something


def validate_automation(
    *, automation: Automation, actions: list[dict], service_ids: Iterable[int] = ()
) -> list[dict]:
    """Clean ``automation`` in place and return the cleaned actions ``[{"kind", "settings"}]``.

    Raises ValidationError({field: [messages]}) naming every problem found.
    """
    errors: dict[str, list[str]] = {}
    try:
        validate_automation_fields(automation, service_ids=service_ids)
    except ValidationError as error:
        errors.update(error.message_dict)
    if "trigger" in errors:
        raise ValidationError(errors)
    cleaned, problems = [], []
    for number, action in enumerate(actions, start=1):
        try:
            settings = validate_action(
                kind=action.get("kind", ""), settings=action.get("settings") or {}, automation=automation
            )
            cleaned.append({"kind": action["kind"], "settings": settings})
        except ValidationError as error:
            problems += [
                _t("Action %(number)s: %(problem)s") % {"number": number, "problem": message}
                for message in error.messages
            ]
    if not actions:
        problems.append(_t("Add at least one action."))
    if problems:
        errors["actions"] = problems
    if errors:
        raise ValidationError(errors)
    return cleaned


@checks.rule("automation_fields")
def validate_automation_fields(automation: Automation, *, service_ids: Iterable[int] = ()) -> None:
    """Everything but the actions; cleans ``trigger_params`` and ``conditions`` in place."""
    trigger = triggers.get(automation.trigger)
    if trigger is None:
        raise ValidationError(
            {"trigger": _("“%(trigger)s” is not a trigger Rendez knows.") % {"trigger": automation.trigger}}
        )
    errors: dict[str, list] = {}
    name_length = Automation._meta.get_field("name").max_length
    if not (automation.name or "").strip():
        errors["name"] = [_("Give the automation a name.")]
    elif len(automation.name) > name_length:
        errors["name"] = [_("Keep the name to %(count)s characters.") % {"count": name_length}]
    automation.trigger_params = _clean_params(trigger, automation.trigger_params, errors)
    _check_delay(trigger, automation, errors)
    _check_frequency(automation, errors)
    _check_services(trigger, list(service_ids), errors)
    try:
        automation.conditions = validate_conditions(
            automation.conditions, offers=trigger.offers_for(automation.trigger_params)
        )
    except ValidationError as error:
        errors["conditions"] = error.messages
    if errors:
        raise ValidationError(errors)


@checks.rule("action")
def validate_action(*, kind: str, settings: dict, automation: Automation) -> dict:
    """The action's cleaned settings; raises ValidationError for an unknown kind, a trigger that
    lacks what the action needs (an e-mail to the client needs a client), or bad settings."""
    action_type = action_types.get(kind)
    if action_type is None:
        raise ValidationError(_("“%(kind)s” is not an action Rendez knows."), params={"kind": kind})
    trigger = triggers.get(automation.trigger)
    offers = trigger.offers_for(automation.trigger_params or {}) if trigger else frozenset()
    missing = sorted(action_type.needs - offers)
    if missing:
        raise ValidationError(
            _("“%(action)s” needs %(what)s, and this trigger has none."),
            params={"action": action_type.label, "what": NEEDS.get(missing[0], missing[0])},
        )
    if not isinstance(settings, dict):
        raise ValidationError(_("The action's settings are missing."))
    return action_type.validate(settings, offers=offers)


def _clean_params(trigger: Trigger, params: object, errors: dict) -> dict:
    given = params if isinstance(params, dict) else {}
    cleaned = {}
    for param in trigger.params:
        try:
            cleaned[param.name] = param.clean(given.get(param.name))
        except ValidationError as error:
            errors.setdefault("trigger_params", []).extend(error.messages)
    return cleaned


def _check_services(trigger: Trigger, service_ids: list[int], errors: dict) -> None:
    if service_ids and not trigger.service_filter:
        errors["services"] = [_("This trigger does not depend on a service: leave the services empty.")]
    elif Service.objects.filter(pk__in=service_ids).count() != len(set(service_ids)):
        errors["services"] = [_("Choose the services from the list.")]


def _check_delay(trigger: Trigger, automation: Automation, errors: dict) -> None:
    if automation.delay_unit not in MAX_DELAY or automation.delay_direction not in DelayDirection.values:
        errors["delay_amount"] = [_("Choose minutes, hours or days, after or before.")]
        return
    if automation.delay_amount > MAX_DELAY[automation.delay_unit]:
        errors["delay_amount"] = [_("A delay may be at most 365 days (8760 hours, 525600 minutes).")]
    if automation.delay_direction == DelayDirection.BEFORE:
        if not trigger.allows_before:
            errors["delay_direction"] = [_("Only “Session starts” can act before its trigger.")]
        elif not automation.delay_amount:
            errors["delay_amount"] = [_("Say how long before the session starts.")]


def _check_frequency(automation: Automation, errors: dict) -> None:
    if automation.frequency not in Frequency.values:
        errors["frequency"] = [_("Choose how often the automation may act for one client.")]
    elif automation.frequency == Frequency.ONCE_PER_CLIENT_PER_DAYS:
        if not automation.frequency_days or automation.frequency_days < 1:
            errors["frequency_days"] = [_("Say after how many days it may act again for the same client.")]
        elif automation.frequency_days > MAX_FREQUENCY_DAYS:
            errors["frequency_days"] = [
                _("Once per client every %(days)s days at most.") % {"days": MAX_FREQUENCY_DAYS}
            ]
    else:
        automation.frequency_days = None
