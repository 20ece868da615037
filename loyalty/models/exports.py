"""A points report export, built by a worker: what was asked, by whom, how far it has got."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (.xlsx)")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class PointsExport(models.Model):
    """One export of the points report. Only ``requested_by`` may download the file."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True, help_text=_("Under VAR_DIR/exports."))
    error = models.CharField(_("error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(
        max_length=120, blank=True
    )  # the worker process building it (WorkerHeartbeat)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("points export")
        verbose_name_plural = _("points exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Never more rows written than counted: the progress bar stays within 100 %.
            models.CheckConstraint(
                condition=Q(rows_written__lte=models.F("rows_total")),
                name="loyalty_export_progress_within_total",
            ),
            # A ready export names its file.
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file_name=""), name="loyalty_export_done_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(self.rows_written * 100 / self.rows_total) if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
