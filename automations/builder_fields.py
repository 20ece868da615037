"""What the builder page offers for a draft: only the triggers, criteria, operators, actions and
variables that fit the chosen trigger, with each part's problems beside it."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookings_app.models import Label, Service, User
from bookings_app.web.roles import OWNER, STAFF

from . import criteria, summary
from .actions import action_types
from .actions.emails import RECIPIENTS
from .drafts import Draft
from .email_preview import example_wording
from .models import DelayDirection, DelayUnit, Frequency
from .triggers import GROUPS, triggers
from .wording import VARIABLES

EMAIL_KINDS = ("email_client", "notify_team")
CHOICE_LABELS = {
    ("per", "client"): _("each booked client"),
    ("per", "session"): _("the whole session, once (for the team)"),
    ("by", "client"): _("the client"),
    ("by", "team"): _("the business"),
    ("by", "either"): _("either"),
}


@dataclass
class Setting:
    """One input of an action's settings form."""

    name: str
    label: Any
    widget: str  # "text", "textarea", "number", "select", "url"
    value: Any = ""
    choices: list[tuple[Any, Any]] = field(default_factory=list)
    with_variables: bool = False


def team_choices() -> list[tuple[Any, Any]]:
    """Owners and staff who can be given a task: (id, name)."""
    team = User.objects.filter(Q(is_superuser=True) | Q(groups__name__in=[OWNER, STAFF]), is_active=True)
    team = team.distinct()
    return [(user.pk, user.get_full_name() or user.email) for user in team.order_by("first_name", "pk")]


def action_settings(kind: str, settings: dict, offers: frozenset[str]) -> list[Setting]:
    value = settings.get
    if kind in EMAIL_KINDS:
        fields = [
            Setting("subject", _("Subject"), "text", value("subject", ""), with_variables=True),
            Setting("body", _("Message"), "textarea", value("body", ""), with_variables=True),
        ]
        if kind == "notify_team":
            recipients = [
                (key, label) for key, label in RECIPIENTS.items() if key == "owners" or "session" in offers
            ]
            fields.insert(
                0, Setting("recipients", _("To"), "select", value("recipients", "owners"), recipients)
            )
        return fields
    if kind == "create_task":
        return [
            Setting("title", _("Task title"), "text", value("title", ""), with_variables=True),
            Setting("notes", _("Notes"), "textarea", value("notes", ""), with_variables=True),
            Setting("due_in_days", _("Due in (days)"), "number", value("due_in_days", 0)),
            Setting(
                "assignee",
                _("Assign to"),
                "select",
                value("assignee") or "",
                [("", _("Nobody")), *team_choices()],
            ),
        ]
    if kind in ("add_label", "remove_label"):
        labels = [("", "—")] + list(Label.objects.order_by("name").values_list("pk", "name"))
        return [Setting("label", _("Label"), "select", value("label", ""), labels)]
    if kind == "add_points":
        return [
            Setting("points", _("Points"), "number", value("points", "")),
            Setting("description", _("Description the client sees"), "text", value("description", "")),
        ]
    if kind == "call_webhook":
        return [Setting("url", _("Address"), "url", value("url", ""))]
    return []


def variables_for(offers: frozenset[str]) -> list[dict]:
    return [
        {"name": "{" + v.name + "}", "label": v.label}
        for v in VARIABLES.values()
        if not v.needs or v.needs in offers
    ]


def criterion_row(criterion: dict, offers: frozenset[str]) -> dict:
    """The selects and value input of one criterion."""
    chosen = criteria.fields.get(criterion.get("field", ""))
    row = {
        "field": criterion.get("field", ""),
        "operator": criterion.get("operator", ""),
        "value": criterion.get("value", ""),
        "fields": [(f.key, f.label) for f in criteria.fields if f.needs in offers],
        "operators": [],
        "takes_value": False,
        "value_widget": "text",
        "value_choices": [],
    }
    if chosen is None:
        return row
    row["operators"] = [(key, op.label) for key, op in chosen.type.operators.items()]
    operator = chosen.type.operators.get(row["operator"]) or next(iter(chosen.type.operators.values()))
    row["operator"] = operator.key
    row["takes_value"] = operator.takes_value
    if chosen.choices is not None:
        row["value_widget"] = "multiple" if operator.key == "is_one_of" else "select"
        row["value_choices"] = [(str(key), label) for key, label in chosen.choices()]
    else:
        row["value_widget"] = {"number": "number", "date": "date"}.get(chosen.type.key, "text")
    values = row["value"] if isinstance(row["value"], list) else [row["value"]]
    row["selected"] = [str(each) for each in values]
    return row


def builder_context(draft: Draft, problems: dict) -> dict:
    """Everything the builder template reads, computed once here."""
    trigger = draft.trigger_entry
    offers = draft.offers
    app = draft.app or (trigger.group if trigger else "")
    return {
        "draft": draft,
        "problems": problems,
        "app": app,
        "apps": list(GROUPS.items()),
        "trigger": trigger,
        "app_triggers": [(t.key, t.label) for t in triggers if t.group == app],
        "params": _params(draft),
        "services": _services(draft),
        "delay_units": DelayUnit.choices,
        "delay_directions": DelayDirection.choices[: 2 if trigger and trigger.allows_before else 1],
        "frequencies": Frequency.choices,
        "conditions": [
            [
                {
                    **criterion_row(criterion, offers),
                    "g": g,
                    "i": i,
                    "problems": problems.get(("criterion", g, i), []),
                }
                for i, criterion in enumerate(group)
            ]
            for g, group in enumerate(draft.conditions)
        ],
        "actions": [
            _action_row(index, action, offers, problems) for index, action in enumerate(draft.actions)
        ],
        "action_kinds": [(a.key, a.label) for a in action_types if a.needs <= offers],
        "variables": variables_for(offers),
        "sentence": _sentence(draft) if trigger else "",
    }


def _params(draft: Draft) -> list[dict]:
    trigger = draft.trigger_entry
    return [
        {
            "name": p.name,
            "label": p.label,
            "minimum": p.minimum,
            "choices": [(str(choice), CHOICE_LABELS.get((p.name, choice), choice)) for choice in p.choices],
            "value": draft.trigger_params.get(p.name, p.default) or "",
        }
        for p in (trigger.params if trigger else ())
    ]


def _services(draft: Draft) -> list[tuple[int, str]]:
    trigger = draft.trigger_entry
    if trigger is None or not trigger.service_filter:
        return []
    return list(Service.objects.order_by("name").values_list("pk", "name"))


def _action_row(index: int, action: dict, offers: frozenset[str], problems: dict) -> dict:
    action_type = action_types.get(action["kind"])
    return {
        "index": index,
        "number": action.get("number"),
        "kind": action["kind"],
        "problems": problems.get(("action", index), []),
        "is_email": action["kind"] in EMAIL_KINDS,
        "label": action_type.label if action_type else "",
        "settings": action_settings(action["kind"], action["settings"], offers),
    }


def _sentence(draft: Draft) -> str:
    """The draft in words, as the summary page will say it once saved; the quoted subjects and
    titles read as the preview's example client would get them."""
    names = dict(Service.objects.filter(pk__in=draft.service_ids).values_list("pk", "name"))
    return summary.sentence(
        trigger=draft.trigger,
        params=draft.trigger_params,
        service_names=[names[pk] for pk in draft.service_ids if pk in names],
        delay_amount=draft.delay_amount if draft.has_delay else 0,
        delay_unit=draft.delay_unit,
        delay_direction=draft.delay_direction,
        conditions=draft.conditions,
        actions=[action for action in draft.actions if action["kind"]],
        frequency=draft.frequency,
        frequency_days=draft.frequency_days,
        wording=example_wording(service_ids=draft.service_ids),
    )
