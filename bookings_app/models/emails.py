"""Every e-mail Rendez sends, stored first and sent by a task, so none is sent twice."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """One message. ``dedupe_key`` names its reason ("booking 42 confirmed") so it exists once."""

    kind = models.CharField(_("kind"), max_length=40)
    dedupe_key = models.CharField(max_length=160, unique=True)
    to = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=200)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True, help_text="[{filename, mimetype, content}]")
    language = models.CharField(_("language"), max_length=8, default="en")
    client = models.ForeignKey("Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    booking = models.ForeignKey("Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    status = models.CharField(_("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider id"), max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(status__in=["queued", "sending"]), name="email_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
