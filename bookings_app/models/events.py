"""The outbox: every domain event, written in the transaction that caused it, and one
delivery per consumer that reads its kind (docs/architecture.md, "Domain events")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..plug_ins.event_kinds import kind_label


class EventKind(models.TextChoices):
    """The kinds bookings records; other apps register theirs (``bookings_app.core.events``)."""

    BOOKING_CREATED = "booking.created", _("Booking created")
    BOOKING_REQUESTED = "booking.requested", _("Booking requested")
    BOOKING_APPROVED = "booking.approved", _("Booking approved")
    BOOKING_DECLINED = "booking.declined", _("Booking declined")
    BOOKING_CANCELLED = "booking.cancelled", _("Booking cancelled")
    BOOKING_RESCHEDULED = "booking.rescheduled", _("Booking rescheduled")
    # A place held for an online payment given back unpaid (payload {"reason"}).
    BOOKING_HOLD_RELEASED = "booking.hold_released", _("Unpaid booking released")
    # Online payments (services/payments.py), payload {"payment_id", "amount", "currency", "provider"}:
    # money taken (once per payment), a payment declined, money given back (once per refund, with
    # "refund_id" and "reason").
    PAYMENT_RECEIVED = "payment.received", _("Payment received")
    PAYMENT_FAILED = "payment.failed", _("Payment failed")
    REFUND_ISSUED = "payment.refunded", _("Refund issued")
    # Class packs (services/plans.py), payload {"client_plan_id", "plan"}: a booking used a
    # pack's last credit (once per pack).
    PLAN_CREDITS_USED_UP = "plan.credits_used_up", _("Last credit of a pack used")
    # Memberships (services/membership_renewals.py), payload {"client_plan_id", "plan", "amount",
    # "currency", "period_end"} (+ "attempt" and "lapsed" for a failure): once per period, once per attempt.
    MEMBERSHIP_RENEWED = "membership.renewed", _("Membership renewed")
    MEMBERSHIP_RENEWAL_FAILED = "membership.renewal_failed", _("Membership renewal failed")
    CHECKED_IN = "booking.checked_in", _("Client checked in")
    NO_SHOW = "booking.no_show", _("Client marked no-show")
    # The waitlist (models/waitlist.py): joined, a freed seat offered, an offer run out, a seat booked.
    WAITLIST_JOINED = "waitlist.joined", _("Joined a waitlist")
    WAITLIST_OFFERED = "waitlist.offered", _("Waitlist seat offered")
    WAITLIST_OFFER_EXPIRED = "waitlist.offer_expired", _("Waitlist offer expired")
    WAITLIST_BOOKED = "waitlist.booked", _("Booked from the waitlist")
    # An appointment's client told of an earlier free time (models/earlier_times.py; payload {"start"}).
    EARLIER_TIME_OFFERED = "earlier_time.offered", _("Earlier time offered")
    SESSION_STARTED = "session.started", _("Session started")
    SESSION_ENDED = "session.ended", _("Session ended")


class Actor(models.TextChoices):
    """Who made it happen: a trigger named for clients must not fire on the owner's own act."""

    CLIENT = "client", _("Client")
    TEAM = "team", _("Team member")
    SYSTEM = "system", _("Rendez")


class DomainEvent(models.Model):
    """What happened, to whom, when. Consumers (automations, loyalty) read it through their
    ``EventDelivery`` rows.

    ``key`` makes events from periodic scans idempotent ("session 42 started" exists once).
    ``kind`` is one of the kinds the apps register: no choices here, so that bookings does
    not list the kinds of the apps built on it.
    """

    kind = models.CharField(_("kind"), max_length=40)
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

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def get_kind_display(self) -> str:
        """The kind in the reader's language, as its app registered it."""
        return kind_label(self.kind)


class EventDelivery(models.Model):
    """One event for one consumer, written with the event; ``processed_at`` is that consumer's
    mark. A consumer claims its rows with ``select_for_update(skip_locked)`` and marks them in
    the transaction that does the work, so two workers never process one event for it twice,
    and a worker lost half-way leaves it for the consumer's sweep."""

    consumer = models.CharField(max_length=30)
    event = models.ForeignKey(DomainEvent, on_delete=models.CASCADE, related_name="deliveries")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # An event reaches each consumer once.
            models.UniqueConstraint(fields=["consumer", "event"], name="event_delivery_once"),
        ]
        indexes = [
            # Each consumer's sweep asks for its unprocessed deliveries.
            models.Index(
                fields=["consumer", "event"],
                condition=Q(processed_at__isnull=True),
                name="event_delivery_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.consumer}"
