"""Actions that write records: a task for the team, a client label, loyalty points."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bookings_app.models import Label, User
from bookings_app.web.request_input import positive_id
from loyalty.errors import LoyaltyError

from .. import integrations, services
from ..context import RunContext
from ..wording import render, values_for
from .base import ActionFailed, ActionType, number_setting, register, template_setting

MAX_TASK_DUE_DAYS = 3650  # ten years: further than any business plans a call
MAX_POINTS = 1_000_000  # as much as the owner may add by hand at once


@register
class CreateTask(ActionType):
    key, label = "create_task", _("Create a task for the team")

    def validate(self, settings: dict, *, offers: frozenset[str]) -> dict:
        chosen = settings.get("assignee")
        assignee = positive_id(str(chosen)) if chosen else None
        if chosen and (assignee is None or not User.objects.filter(pk=assignee, is_active=True).exists()):
            raise ValidationError(_("Choose a team member to assign the task to, or nobody."))
        return {
            "title": template_setting(settings, "title", _("task title"), offers=offers),
            "notes": template_setting(settings, "notes", _("notes"), offers=offers, required=False),
            "due_in_days": number_setting(
                settings, "due_in_days", _("number of days"), minimum=0, maximum=MAX_TASK_DUE_DAYS, default=0
            ),
            "assignee": assignee,
        }

    def perform(self, context: RunContext, settings: dict, *, position: int) -> str:
        values = values_for(context, settings["title"], settings.get("notes", ""))
        today = timezone.localdate(timezone.now(), context.business.tz)
        task = services.create_task(
            title=render(settings["title"], values)[:200],
            notes=render(settings.get("notes", ""), values),
            due_date=today + timedelta(days=settings.get("due_in_days", 0)),
            assignee=User.objects.filter(pk=settings.get("assignee"), is_active=True).first(),
            client=context.client,
            run=context.run,
        )
        return _t("Task “%(title)s”") % {"title": task.title}


class LabelAction(ActionType):
    needs = frozenset({"client"})

    def validate(self, settings: dict, *, offers: frozenset[str]) -> dict:
        label_id = positive_id(str(settings.get("label") or ""))
        if label_id is None or not Label.objects.filter(pk=label_id).exists():
            raise ValidationError(_("Choose a label."))
        return {"label": label_id}

    def _client_and_label(self, context: RunContext, settings: dict):
        label = Label.objects.filter(pk=settings["label"]).first()
        if label is None:
            raise ActionFailed(_("The label no longer exists."), retry=False)
        if context.client is None:
            raise ActionFailed(_("This run has no client."), retry=False)
        return context.client, label


@register
class AddLabel(LabelAction):
    key, label = "add_label", _("Add a label to the client")

    def perform(self, context: RunContext, settings: dict, *, position: int) -> str:
        client, label = self._client_and_label(context, settings)
        services.add_label(client=client, label=label)
        return _t("Label “%(label)s” added") % {"label": label.name}


@register
class RemoveLabel(LabelAction):
    key, label = "remove_label", _("Remove a label from the client")

    def perform(self, context: RunContext, settings: dict, *, position: int) -> str:
        client, label = self._client_and_label(context, settings)
        services.remove_label(client=client, label=label)
        return _t("Label “%(label)s” removed") % {"label": label.name}


@register
class AddPoints(ActionType):
    """Calls loyalty's points service, plugged into ``integrations.points_adder``."""

    key, label = "add_points", _("Add loyalty points")
    needs = frozenset({"client"})

    def validate(self, settings: dict, *, offers: frozenset[str]) -> dict:
        return {
            "points": number_setting(
                settings, "points", _("number of points"), minimum=1, maximum=MAX_POINTS
            ),
            "description": str(settings.get("description") or "").strip()[:200],
        }

    def perform(self, context: RunContext, settings: dict, *, position: int) -> str:
        adder = integrations.points_adder.function
        if adder is None:
            raise ActionFailed(_("loyalty is not available"), retry=False)
        if context.client is None:
            raise ActionFailed(_("This run has no client."), retry=False)
        try:
            adder(
                client=context.client,
                points=settings["points"],
                description=settings.get("description") or context.automation.name,
            )
        except LoyaltyError as refusal:  # the program is off, …: trying again will not help
            raise ActionFailed(refusal.message, retry=False) from refusal
        return _t("%(points)s points added") % {"points": settings["points"]}
