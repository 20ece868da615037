"""Appointments: "tell me if an earlier time opens" (docs/waitlist.md, "An earlier time").

A client with a confirmed upcoming appointment asks to be told (``EarlierTimeRequest``); when a
slot frees up that fits, one of them is e-mailed a link to move there (``EarlierTimeNotice``). A
notice holds no slot: the first client to use a link gets the time, as anyone booking it would.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .services import Service
from .sessions import Booking
from .staff import StaffMember


class EarlierTimeStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an earlier time")
    MOVED = "moved", _("Moved to an earlier time")
    STOPPED = "stopped", _("Stopped")
    CLOSED = "closed", _("Closed")  # the booking was cancelled, moved otherwise, or took place


class EarlierTimeRequest(models.Model):
    """One booking's wish to move earlier, for its service, with its staff member or with anyone."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="earlier_time_requests")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="earlier_time_requests")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="earlier_time_requests")
    # Only with this staff member; empty: with anyone who gives the service.
    staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.CASCADE, related_name="earlier_time_requests"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EarlierTimeStatus.choices, default=EarlierTimeStatus.WAITING
    )
    created_at = models.DateTimeField(_("asked"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("earlier time request")
        verbose_name_plural = _("earlier time requests")
        ordering = ["created_at", "pk"]
        indexes = [
            # A freed slot reads the waiting requests of its services, first asked first.
            models.Index(
                fields=["service", "created_at"],
                condition=Q(status="waiting"),
                name="earlier_waiting_by_service_idx",
            ),
        ]
        constraints = [
            # One live wish per booking (double tap, asking on two pages).
            models.UniqueConstraint(
                fields=["booking"], condition=Q(status="waiting"), name="earlier_one_waiting_per_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} earlier than {self.booking}"


class EarlierNoticeStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    TAKEN = "taken", _("Taken")  # the client moved to it
    GONE = "gone", _("Gone")  # the client came too late, or no longer needs it
    PASSED_ON = "passed", _("Passed on")  # unused for EARLIER_TIME_NOTICE_HOURS: the next client is told


class EarlierTimeNotice(models.Model):
    """A freed slot told to one client: staff member, service and start. Recorded in the
    transaction that freed the slot; the e-mail goes through the outbox keyed on this row."""

    request = models.ForeignKey(EarlierTimeRequest, on_delete=models.CASCADE, related_name="notices")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=8, choices=EarlierNoticeStatus.choices, default=EarlierNoticeStatus.SENT
    )
    created_at = models.DateTimeField(_("sent"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("earlier time notice")
        verbose_name_plural = _("earlier time notices")
        ordering = ["start", "pk"]
        constraints = [
            # A freed slot is told to one client at a time, even when two transactions free it at once.
            models.UniqueConstraint(
                fields=["start", "service", "staff"],
                condition=Q(status="sent"),
                name="earlier_one_open_notice_per_slot",
            ),
        ]
        indexes = [
            # A freed slot reads the open notices of its staff member around it.
            models.Index(
                fields=["staff", "start"], condition=Q(status="sent"), name="earlier_open_notice_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.start:%Y-%m-%d %H:%M} for {self.request}"
