"""The builder's state between two clicks: a draft automation read from the builder's form.

The whole draft travels in the form (no half-saved rows): each HTMX change posts it, the
server applies the step ("+ Add a condition", "move up" …), checks every part in place and
renders the builder again. Saving goes through ``services.create_automation`` /
``services.update_automation``, which validate the same way once more.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from bookings_app.web.request_input import BIGINT_MAX, bounded_int, positive_id

from . import services
from .criteria import clean_criterion
from .models import Automation, DelayDirection, DelayUnit, Frequency
from .triggers import triggers
from .validation import validate_action, validate_automation_fields

# Places in the form are small ASCII numbers: "c-0-1-value", "a-2-subject".
CRITERION = re.compile(r"^c-(\d{1,4})-(\d{1,4})-(field|operator|value)$", re.ASCII)
ACTION = re.compile(r"^a-(\d{1,4})-(\w+)$", re.ASCII)


@dataclass
class Draft:
    name: str = ""
    trigger: str = ""
    trigger_params: dict = field(default_factory=dict)
    service_ids: list[int] = field(default_factory=list)
    has_delay: bool = False
    delay_amount: int = 0
    delay_unit: str = DelayUnit.HOURS
    delay_direction: str = DelayDirection.AFTER
    frequency: str = Frequency.EVERY_TIME
    frequency_days: int | None = None
    conditions: list[list[dict]] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    app: str = ""

    @property
    def trigger_entry(self):
        return triggers.get(self.trigger)

    @property
    def offers(self) -> frozenset[str]:
        trigger = self.trigger_entry
        return trigger.offers_for(self.trigger_params) if trigger else frozenset()

    @classmethod
    def from_dict(cls, values: dict) -> "Draft":
        known = {name: values[name] for name in cls.__dataclass_fields__ if name in values}
        draft = cls(**known)
        draft.has_delay = draft.has_delay or bool(draft.delay_amount)
        return draft

    @classmethod
    def from_automation(cls, automation: Automation) -> "Draft":
        return cls(
            name=automation.name,
            trigger=automation.trigger,
            trigger_params=dict(automation.trigger_params),
            service_ids=[service.pk for service in automation.services.all()],
            has_delay=bool(automation.delay_amount),
            delay_amount=automation.delay_amount,
            delay_unit=automation.delay_unit,
            delay_direction=automation.delay_direction,
            frequency=automation.frequency,
            frequency_days=automation.frequency_days,
            conditions=[[dict(criterion) for criterion in group] for group in automation.conditions],
            actions=[
                {"kind": action.kind, "settings": dict(action.settings), "number": action.position}
                for action in automation.actions.all()
            ],
        )

    @classmethod
    def from_post(cls, data: QueryDict) -> "Draft":
        trigger = data.get("trigger", "")
        entry = triggers.get(trigger)
        app = data.get("app", "")
        if entry is not None and app and entry.group != app:  # a new app was chosen: choose its trigger
            trigger, entry = "", None
        draft = cls(
            name=data.get("name", "").strip(),
            trigger=trigger,
            app=app or (entry.group if entry else ""),
            trigger_params={p.name: data.get(f"param_{p.name}", "") for p in entry.params} if entry else {},
            service_ids=_service_ids(data.getlist("services")),
            has_delay=data.get("has_delay") == "1",
            delay_amount=_whole(data.get("delay_amount")),
            delay_unit=data.get("delay_unit") or DelayUnit.HOURS,
            delay_direction=data.get("delay_direction") or DelayDirection.AFTER,
            frequency=data.get("frequency") or Frequency.EVERY_TIME,
            frequency_days=_whole(data.get("frequency_days")) or None,
        )
        draft.conditions = _conditions_from(data)
        draft.actions = _actions_from(data)
        if not draft.has_delay:
            draft.delay_amount, draft.delay_direction = 0, DelayDirection.AFTER
        return draft

    # --- The builder's steps -----------------------------------------------------------

    def apply(self, step: str) -> None:
        """One click of the builder: "add_action", "remove_action:2", "up:1", "add_criterion:0" …"""
        verb, _sep, where = step.partition(":")
        numbers = [n for n in map(bounded_int, where.split(":")) if n is not None]
        if verb == "add_delay":
            self.has_delay, self.delay_amount = True, self.delay_amount or 1
        elif verb == "remove_delay":
            self.has_delay, self.delay_amount, self.delay_direction = False, 0, DelayDirection.AFTER
        elif verb == "add_group":
            self.conditions.append([_empty_criterion()])
        elif verb == "add_criterion" and numbers and numbers[0] < len(self.conditions):
            self.conditions[numbers[0]].append(_empty_criterion())
        elif verb == "remove_criterion" and len(numbers) == 2 and numbers[0] < len(self.conditions):
            group = self.conditions[numbers[0]]
            if numbers[1] < len(group):
                del group[numbers[1]]
            self.conditions = [group for group in self.conditions if group]
        elif verb == "add_action":
            self.actions.append({"kind": "", "settings": {}})
        elif verb == "remove_action" and numbers and numbers[0] < len(self.actions):
            del self.actions[numbers[0]]
        elif verb in ("up", "down") and numbers:
            self._move(numbers[0], -1 if verb == "up" else 1)

    def _move(self, index: int, by: int) -> None:
        target = index + by
        if 0 <= index < len(self.actions) and 0 <= target < len(self.actions):
            self.actions[index], self.actions[target] = self.actions[target], self.actions[index]

    # --- Checking in place -------------------------------------------------------------

    def problems(self) -> dict:
        """Every problem by where it shows: "name", "trigger", …, ("criterion", g, i), ("action", i)."""
        found: dict = {}
        if self.trigger_entry is None:
            found["trigger"] = [_("Choose a trigger.")]
            if not self.name:
                found["name"] = [_("Give the automation a name.")]
            return found
        automation = self.as_automation()
        try:
            validate_automation_fields(automation, service_ids=self.service_ids)
        except ValidationError as error:
            found.update({name: messages for name, messages in error.message_dict.items()})
        for g, group in enumerate(self.conditions):
            for i, criterion in enumerate(group):
                try:
                    clean_criterion(criterion, offers=self.offers)
                except ValidationError as error:
                    found[("criterion", g, i)] = error.messages
        if any(isinstance(key, tuple) for key in found):  # shown next to each criterion instead
            found.pop("conditions", None)
        for index, action in enumerate(self.actions):
            try:
                validate_action(kind=action["kind"], settings=action["settings"], automation=automation)
            except ValidationError as error:
                found[("action", index)] = error.messages
        if not self.actions:
            found["actions"] = [_("Add at least one action.")]
        return found

    def problems_so_far(self) -> dict:
        """The problems of what the owner has filled in, shown while they build; what is still
        empty (no name yet, an action not chosen or not written) waits until they save."""
        found = self.problems()
        if not self.name:
            found.pop("name", None)
        if not self.trigger:
            found.pop("trigger", None)
        if not self.actions:
            found.pop("actions", None)
        for index, action in enumerate(self.actions):
            if not action["kind"] or not any(str(value).strip() for value in action["settings"].values()):
                found.pop(("action", index), None)
        for g, group in enumerate(self.conditions):
            for i, criterion in enumerate(group):
                if not (criterion.get("field") and criterion.get("operator")):
                    found.pop(("criterion", g, i), None)
        return found

    def as_automation(self, automation: Automation | None = None) -> Automation:
        """The draft's fields on ``automation`` (a new, unsaved one by default)."""
        automation = automation or Automation()
        automation.name = self.name
        automation.trigger = self.trigger
        automation.trigger_params = dict(self.trigger_params)
        automation.delay_amount = self.delay_amount if self.has_delay else 0
        automation.delay_unit = self.delay_unit
        automation.delay_direction = self.delay_direction if self.has_delay else DelayDirection.AFTER
        automation.frequency = self.frequency
        automation.frequency_days = self.frequency_days
        automation.conditions = [[dict(criterion) for criterion in group] for group in self.conditions]
        return automation

    def save(self, *, automation: Automation | None, activate: bool) -> Automation:
        """Create or update through the services; raises ValidationError (nothing saved)."""
        from bookings_app.models import Service

        chosen = list(Service.objects.filter(pk__in=self.service_ids))
        if automation is None:
            saved = self.as_automation()
            return services.create_automation(
                name=saved.name,
                trigger=saved.trigger,
                actions=self.actions,
                trigger_params=saved.trigger_params,
                services=chosen,
                delay_amount=saved.delay_amount,
                delay_unit=saved.delay_unit,
                delay_direction=saved.delay_direction,
                frequency=saved.frequency,
                frequency_days=saved.frequency_days,
                conditions=saved.conditions,
                is_active=activate,
            )
        self.as_automation(automation)
        if activate:
            automation.is_active = True
        return services.update_automation(automation=automation, actions=self.actions, services=chosen)


def _whole(value) -> int:
    """A count typed by the owner; validation says when it is too large for its purpose."""
    return bounded_int(value, maximum=BIGINT_MAX) or 0


def _service_ids(values: list[str]) -> list[int]:
    """The chosen services; a value that is no id stands for a service that does not exist (0), so
    validation refuses it instead of the draft forgetting it."""
    return list(dict.fromkeys(positive_id(value) or 0 for value in values))


def _empty_criterion() -> dict:
    return {"field": "", "operator": "", "value": ""}


def _conditions_from(data: QueryDict) -> list[list[dict]]:
    rows: dict[tuple[int, int], dict] = {}
    for name in data:
        match = CRITERION.match(name)
        if match:
            g, i, part = int(match[1]), int(match[2]), match[3]
            values = data.getlist(name)
            row = rows.setdefault((g, i), _empty_criterion())
            row[part] = values if part == "value" and len(values) > 1 else values[0]
    groups: dict[int, list[dict]] = {}
    for (g, _i), criterion in sorted(rows.items()):
        if criterion.get("operator") == "is_one_of" and not isinstance(criterion.get("value"), list):
            criterion["value"] = [criterion["value"]] if criterion.get("value") else []
        groups.setdefault(g, []).append(criterion)
    return [groups[g] for g in sorted(groups)]


def _actions_from(data: QueryDict) -> list[dict]:
    rows: dict[int, dict] = {}
    for name in data:
        match = ACTION.match(name)
        if match:
            index, setting = int(match[1]), match[2]
            row = rows.setdefault(index, {"kind": "", "settings": {}})
            if setting == "kind":
                row["kind"] = data.get(name, "")
            elif setting == "number":  # which saved action this is, wherever it moved
                row["number"] = _whole(data.get(name)) or None
            else:
                row["settings"][setting] = data.get(name, "")
    return [rows[index] for index in sorted(rows)]
