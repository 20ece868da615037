"""The waitlist of a full class session: clients in line for a seat that frees up (docs/waitlist.md)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .sessions import Booking, Session


class WaitlistMode(models.TextChoices):
    """``Service.waitlist_mode`` (its choices are ``WAITLIST_MODES``, the same two)."""

    OFFER = "offer", _("Offer the seat for a few hours")
    BOOK = "book", _("Book the first client at once")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    # The freed seat is held for this client (it counts in the session's seats_taken) until offer_until.
    OFFERED = "offered", _("Seat offered")
    BOOKED = "booked", _("Booked")
    EXPIRED = "expired", _("Offer expired")
    LEFT = "left", _("Left the waitlist")
    REMOVED = "removed", _("Removed")


LIVE_WAITLIST_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(models.Model):
    """One client in line for one session. The line is ordered by ``position`` (the owner may
    move a client up), then by the time they joined.

    An offered entry holds one seat of its session: the offer took it with the same guarded
    ``seats_taken`` update a booking uses, so an offered seat is never taken by anyone else nor
    offered twice; accepting turns the held seat into a booking without counting it again.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waitlist")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="waitlist_entries")
    position = models.PositiveIntegerField(_("position"))
    status = models.CharField(
        _("status"), max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    joined_at = models.DateTimeField(_("joined"))
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_until = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entries"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["session", "position", "joined_at", "pk"]
        indexes = [
            # The expiry task reads the offers that ran out.
            models.Index(
                fields=["offer_until"], condition=Q(status="offered"), name="waitlist_open_offer_idx"
            ),
        ]
        constraints = [
            # A client is in a session's line once at a time (double tap, browser retry).
            models.UniqueConstraint(
                fields=["session", "client"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_live_per_client_session",
            ),
            # Two live entries never share a place in line: joining takes max + 1 under the session's lock.
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_live_per_position",
            ),
            # An offer always says until when (the expiry task reads it); nothing else has one.
            models.CheckConstraint(
                condition=(Q(status="offered") & Q(offer_until__isnull=False))
                | (~Q(status="offered") & Q(offer_until__isnull=True)),
                name="waitlist_offer_has_deadline",
            ),
            # A client booked from the line has the booking it became.
            models.CheckConstraint(
                condition=~Q(status="booked") | Q(booking__isnull=False),
                name="waitlist_booked_has_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} #{self.position} {self.session}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_WAITLIST_STATUSES
