"""Calendar subscription addresses (iCalendar feeds): one secret address per staff member,
for the business, and per client; revocable and renewable."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .staff import StaffMember


class FeedKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    STAFF = "staff", _("Staff member")
    CLIENT = "client", _("Client")


def new_feed_token() -> str:
    """256 random bits, URL-safe: the address is the only key a calendar app can send."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """One subscription address. The token is the secret in the URL; it is kept as is (not
    hashed) because the dashboard shows the address again, and it is unique. Revoking sets
    ``revoked_at``: the address answers 404 from then on. Renewing revokes and creates anew."""

    kind = models.CharField(_("kind"), max_length=16, choices=FeedKind.choices)
    staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            # A feed belongs to exactly what its kind says: the business, one staff member or one client.
            models.CheckConstraint(
                condition=(
                    Q(kind="business", staff__isnull=True, client__isnull=True)
                    | Q(kind="staff", staff__isnull=False, client__isnull=True)
                    | Q(kind="client", staff__isnull=True, client__isnull=False)
                ),
                name="calendar_feed_owner_matches_kind",
            ),
            # At most one live address for the business, per staff member, per client.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="business", revoked_at__isnull=True),
                name="calendar_feed_one_live_business",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(staff__isnull=False, revoked_at__isnull=True),
                name="calendar_feed_one_live_per_staff",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(client__isnull=False, revoked_at__isnull=True),
                name="calendar_feed_one_live_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.staff or self.client or ''}".strip()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
