"""What automations leave for people: tasks for the team, and clients' e-mail opt-outs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Task(models.Model):
    """A to-do for the team, made by the "create a task" action (or by hand)."""

    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="automation_tasks",
    )
    client = models.ForeignKey(
        "bookings_app.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="automation_tasks",
    )
    run = models.ForeignKey(
        "automations.Run",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        editable=False,
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["done_at", "due_date", "pk"]
        indexes = [
            # The Tasks page lists open tasks by due date.
            models.Index(fields=["due_date"], condition=Q(done_at__isnull=True), name="task_open_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class EmailOptOut(models.Model):
    """The client asked for no more automation e-mails. Booking e-mails (confirmations,
    cancellations, reminders) are transactional and still go."""

    # One-to-one: a client opts out once (the field's unique index).
    client = models.OneToOneField(
        "bookings_app.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="automation_opt_out",
    )
    created_at = models.DateTimeField(_("unsubscribed"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.client)
