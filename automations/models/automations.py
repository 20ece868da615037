"""An automation: trigger → optional delay → optional condition → ordered actions."""

import secrets
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import checks


class DelayUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class DelayDirection(models.TextChoices):
    AFTER = "after", _("after")
    BEFORE = "before", _("before")


class Frequency(models.TextChoices):
    EVERY_TIME = "every_time", _("Every time")
    ONCE_PER_CLIENT = "once_per_client", _("Once per client")
    ONCE_PER_CLIENT_PER_DAYS = "once_per_client_per_days", _("Once per client every N days")


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class Automation(models.Model):
    """What the owner built. ``trigger`` is a key of ``automations.triggers``; ``conditions``
    is a list of groups (any group may hold) of criteria (all must hold):
    ``[[{"field": "visits", "operator": "gt", "value": 3}, …], …]``.

    Deleting is soft (``deleted_at``): the runs keep their automation and their history.
    ``last_action_number`` is the highest number an action of it was ever given (see ``Action``).
    """

    name = models.CharField(_("name"), max_length=120)
    trigger = models.CharField(_("trigger"), max_length=40)
    trigger_params = models.JSONField(_("trigger settings"), default=dict, blank=True)
    services = models.ManyToManyField(
        "bookings_app.Service",
        verbose_name=_("services"),
        related_name="+",
        blank=True,
        help_text=_("Leave empty for all services."),
    )
    delay_amount = models.PositiveIntegerField(_("delay"), default=0, help_text=_("0 acts immediately."))
    delay_unit = models.CharField(
        _("delay unit"), max_length=8, choices=DelayUnit.choices, default=DelayUnit.MINUTES
    )
    delay_direction = models.CharField(
        _("delay direction"), max_length=8, choices=DelayDirection.choices, default=DelayDirection.AFTER
    )
    frequency = models.CharField(
        _("frequency"), max_length=30, choices=Frequency.choices, default=Frequency.EVERY_TIME
    )
    frequency_days = models.PositiveIntegerField(_("every N days"), null=True, blank=True)
    conditions = models.JSONField(_("condition"), default=list, blank=True)
    webhook_secret = models.CharField(
        _("webhook secret"),
        max_length=64,
        default=new_webhook_secret,
        help_text=_("Webhook calls are signed with this secret (X-Rendez-Signature)."),
    )
    is_active = models.BooleanField(_("on"), default=True)
    last_action_number = models.PositiveSmallIntegerField(default=0, editable=False)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("automation")
        verbose_name_plural = _("automations")
        ordering = ["name", "pk"]
        indexes = [
            # Processing an event looks up the live automations of the triggers that read it.
            models.Index(
                fields=["trigger"],
                condition=Q(is_active=True, deleted_at__isnull=True),
                name="automation_live_idx",
            ),
        ]
        constraints = [
            # "Once per client every N days" needs its N; the other frequencies have none.
            models.CheckConstraint(
                condition=(Q(frequency="once_per_client_per_days") & Q(frequency_days__gte=1))
                | (~Q(frequency="once_per_client_per_days") & Q(frequency_days__isnull=True)),
                name="automation_period_days_when_periodic",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def delay(self) -> timedelta:
        return timedelta(**{self.delay_unit: self.delay_amount})

    @property
    def is_live(self) -> bool:
        return self.is_active and self.deleted_at is None

    def clean(self) -> None:
        checks.apply("automation_fields", self)


class Action(models.Model):
    """One step of an automation; ``kind`` is a key of ``automations.actions``.

    Actions run by ``order``. ``position`` is the action's number in its automation: given
    once, kept when the owner moves the action and never given to another, so a run's
    outcomes, e-mails and statistics name the same action whatever the owner changes.
    """

    automation = models.ForeignKey(Automation, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(_("order"))
    position = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("action"), max_length=30)
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["automation", "order"]
        constraints = [
            # A run's outcomes name an action by its number: one action per number.
            models.UniqueConstraint(fields=["automation", "position"], name="action_one_per_position"),
            models.UniqueConstraint(fields=["automation", "order"], name="action_one_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.kind}"

    def clean(self) -> None:
        try:
            automation = self.automation
        except Automation.DoesNotExist:  # a form without its automation yet: checked with it later
            return
        self.settings = checks.apply("action", kind=self.kind, settings=self.settings, automation=automation)
