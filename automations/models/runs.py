"""Runs: one automation acting for one event (or one scan finding), with every outcome recorded."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .automations import Automation

MAX_ATTEMPTS = 5


class RunStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class RunReason(models.TextChoices):
    """Why a run was skipped or failed; ``Run.detail`` adds the particulars in words."""

    FREQUENCY_LIMIT = "frequency_limit", _("Frequency limit")
    AUTOMATION_OFF = "automation_off", _("Automation off")
    CLIENT_UNSUBSCRIBED = "client_unsubscribed", _("Client unsubscribed")
    CONDITION_FALSE = "condition_false", _("Condition false")
    NO_LONGER_APPLIES = "no_longer_applies", _("No longer applies")
    ACTION_FAILED = "action_failed", _("An action failed")
    WORKER_LOST = "worker_lost", _("The worker was lost")


class Run(models.Model):
    """``key`` names what the run is for — ``"<automation>:<event>"`` or a scan's key such as
    ``"absent:<automation>:<client>:<last visit date>"`` — so it exists once however often
    the event is delivered or the scan runs.

    Lifecycle: scheduled → running (claimed by one worker) → done | skipped | failed; a
    failed attempt goes back to scheduled with a later ``due_at`` until ``MAX_ATTEMPTS``.
    ``dispatched_at`` says when a task was last queued for it, so the dispatcher does not
    queue it again while that task is on its way.
    """

    automation = models.ForeignKey(Automation, on_delete=models.PROTECT, related_name="runs")
    event = models.ForeignKey(
        "bookings_app.DomainEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=160)
    client = models.ForeignKey(
        "bookings_app.Client",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="automation_runs",
    )
    booking = models.ForeignKey(
        "bookings_app.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "bookings_app.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    facts = models.JSONField(
        _("facts"), default=dict, blank=True, help_text=_("What a scan knew when it made the run.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.SCHEDULED
    )
    due_at = models.DateTimeField(_("due"))
    reason = models.CharField(_("reason"), max_length=24, choices=RunReason.choices, blank=True)
    detail = models.TextField(_("details"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(
        max_length=120, blank=True
    )  # the worker process performing it (WorkerHeartbeat)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The dispatcher asks every few seconds for scheduled runs that are due.
            models.Index(fields=["due_at"], condition=Q(status="scheduled"), name="run_due_idx"),
            # …and for running runs whose worker went silent (a stale claim).
            models.Index(fields=["claimed_at"], condition=Q(status="running"), name="run_claimed_idx"),
            # The log of one automation, newest first.
            models.Index(fields=["automation", "-created_at"], name="run_log_idx"),
        ]
        constraints = [
            # One run per (automation, event) or per scan finding: duplicate deliveries make nothing.
            models.UniqueConstraint(fields=["key"], name="run_one_per_key"),
            # A finished run says when; a run still to do has no finish time.
            models.CheckConstraint(
                condition=Q(status__in=["done", "skipped", "failed"], finished_at__isnull=False)
                | Q(status__in=["scheduled", "running"], finished_at__isnull=True),
                name="run_finished_when_final",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.automation} #{self.pk}"


class OutcomeStatus(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class ActionOutcome(models.Model):
    """What one action of a run did. Written in the transaction that performed the action, so
    an action recorded done is never performed again for that run (retries, duplicates)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("action"), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=OutcomeStatus.choices)
    detail = models.TextField(_("details"), blank=True)
    finished_at = models.DateTimeField(_("finished"))

    class Meta:
        verbose_name = _("action outcome")
        verbose_name_plural = _("action outcomes")
        ordering = ["run", "position"]
        constraints = [
            # Each action of a run has one outcome: the guard against performing it twice.
            models.UniqueConstraint(fields=["run", "position"], name="action_outcome_once"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.position} {self.status}"


class FrequencyMark(models.Model):
    """When an automation last made a run for a client. Locked (SELECT … FOR UPDATE) while a
    run is made, so two events for one client processed at once respect the frequency limit."""

    automation = models.ForeignKey(Automation, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("bookings_app.Client", on_delete=models.CASCADE, related_name="+")
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("frequency mark")
        verbose_name_plural = _("frequency marks")
        constraints = [
            # One mark per automation and client: the row the frequency limit locks.
            models.UniqueConstraint(fields=["automation", "client"], name="frequency_mark_one_per_client"),
        ]

    def __str__(self) -> str:
        return f"{self.automation_id}/{self.client_id}"
