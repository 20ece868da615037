"""Automation e-mails to clients and what became of them: delivered, opened, clicked, bounced, spam."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .automations import Automation
from .runs import Run


class Tracking(models.TextChoices):
    """What a message can reach. Opens and clicks come from our pixel and links (or the
    provider); the others only from the e-mail provider's webhooks."""

    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", _("Opened")
    CLICKED = "clicked", _("Clicked")
    BOUNCED = "bounced", _("Not delivered")
    COMPLAINED = "complained", _("Reported as spam")


class AutomationMessage(models.Model):
    """An e-mail one action of a run sent to a client, made in the transaction that queued it.

    ``links`` are the addresses in its HTML body: its click links lead there and nowhere else.
    ``<state>_at`` says when it first reached each state (the first ``MessageEvent``).
    """

    automation = models.ForeignKey(Automation, on_delete=models.CASCADE, related_name="messages")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="messages")
    position = models.PositiveSmallIntegerField(_("action"))
    email = models.OneToOneField(
        "bookings_app.OutgoingEmail", on_delete=models.CASCADE, related_name="automation_message"
    )
    links = models.JSONField(default=list, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("not delivered"), null=True, blank=True)
    complained_at = models.DateTimeField(_("reported as spam"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("automation e-mail")
        verbose_name_plural = _("automation e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The statistics page reads one automation's messages of the last days.
            models.Index(fields=["automation", "created_at"], name="automation_message_stats_idx"),
        ]
        constraints = [
            # One e-mail per action of a run, as the action itself happens once.
            models.UniqueConstraint(fields=["run", "position"], name="automation_message_one_per_action"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.position} → {self.email_id}"


class MessageEvent(models.Model):
    """The first time a message reached a state, and how often it was reported since."""

    message = models.ForeignKey(AutomationMessage, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Tracking.choices)
    first_at = models.DateTimeField(_("first"))
    last_at = models.DateTimeField(_("last"))
    count = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        verbose_name = _("e-mail event")
        verbose_name_plural = _("e-mail events")
        ordering = ["first_at", "pk"]
        constraints = [
            # A repeated open or a provider's retried webhook counts the message once.
            models.UniqueConstraint(fields=["message", "kind"], name="message_event_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.kind} ×{self.count}"
