"""Every e-mail Rendez sends, stored first and sent by a task, so none is sent twice."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..mail.composers import email_kind_name


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """One message. ``dedupe_key`` names its reason ("booking 42 confirmed") so it exists once.

    A message its composer writes when it is sent (a booking e-mail) is stored with what it is
    about (``booking``, ``about``) and its ``language``, and an empty subject and body; sending
    fills them in with what was sent. Other messages are stored written.
    """

    kind = models.CharField(_("kind"), max_length=40)
    dedupe_key = models.CharField(max_length=160, unique=True)
    to = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=200)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True, help_text="[{filename, mimetype, content}]")
    about = models.JSONField(
        default=dict, blank=True, help_text="what its composer needs besides the booking"
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    client = models.ForeignKey(
        "Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    booking = models.ForeignKey(
        "Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider id"), max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(
        max_length=120, blank=True
    )  # the worker process sending it (WorkerHeartbeat)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status__in=["queued", "sending"]), name="email_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.to}"

    @property
    def is_written(self) -> bool:
        return bool(self.body_text)

    @property
    def title(self):
        """The subject, or the kind's name while the message waits to be written."""
        return self.subject or self.kind_name

    @property
    def kind_name(self):
        return email_kind_name(self.kind)


class BookingEmailSetting(models.Model):
    """The owner's choices for one kind of booking e-mail: on or off, own subject and intro.

    An owner who confirms bookings through an automation switches the confirmation off
    here, so clients do not get two. No row means: on, with the default wording.
    """

    kind = models.CharField(_("e-mail"), max_length=40, unique=True)
    is_enabled = models.BooleanField(_("send this e-mail"), default=True)
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("Leave empty for the default subject.")
    )
    intro = models.TextField(
        _("opening paragraph"),
        blank=True,
        help_text=_(
            "Shown above the booking details. Variables: {client_first_name}, {service_name}, "
            "{session_start}, {staff_name}, {business_name}."
        ),
    )

    class Meta:
        verbose_name = _("booking e-mail setting")
        verbose_name_plural = _("booking e-mail settings")

    def __str__(self) -> str:
        return self.kind
