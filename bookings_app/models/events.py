"""The outbox: every domain event, written in the transaction that caused it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    BOOKING_CREATED = "booking.created", _("Booking created")
    BOOKING_REQUESTED = "booking.requested", _("Booking requested")
    BOOKING_APPROVED = "booking.approved", _("Booking approved")
    BOOKING_DECLINED = "booking.declined", _("Booking declined")
    BOOKING_CANCELLED = "booking.cancelled", _("Booking cancelled")
    BOOKING_RESCHEDULED = "booking.rescheduled", _("Booking rescheduled")
    CHECKED_IN = "booking.checked_in", _("Client checked in")
    NO_SHOW = "booking.no_show", _("Client marked no-show")
    SESSION_STARTED = "session.started", _("Session started")
    SESSION_ENDED = "session.ended", _("Session ended")
    # Recorded by the loyalty app (bookings_app only names them, for the event log).
    POINTS_EARNED = "loyalty.points_earned", _("Loyalty points earned")
    GIFT_CARD_ISSUED = "loyalty.gift_card_issued", _("Gift card issued")


class Actor(models.TextChoices):
    """Who made it happen: a trigger named for clients must not fire on the owner's own act."""

    CLIENT = "client", _("Client")
    TEAM = "team", _("Team member")
    SYSTEM = "system", _("Rendez")


class DomainEvent(models.Model):
    """What happened, to whom, when. Consumers (automations, loyalty) read this table.

    ``key`` makes events from periodic scans idempotent ("session 42 started" exists once).
    ``processed_at`` is set by the consumer that matches events to automations.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("occurred"), db_index=True)
    client = models.ForeignKey(
        "Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    service = models.ForeignKey("Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    session = models.ForeignKey("Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    booking = models.ForeignKey(
        "Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.CharField(_("by"), max_length=10, choices=Actor.choices, default=Actor.SYSTEM)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["occurred_at", "pk"]
        indexes = [
            # The sweep asks for unprocessed events, oldest first.
            models.Index(
                fields=["occurred_at"], condition=Q(processed_at__isnull=True), name="event_unprocessed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
