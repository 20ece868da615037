"""The points ledger: append-only entries, and each client's stored balance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..entry_wording import describe
from ..errors import LedgerIsAppendOnly


class Balance(models.Model):
    """A client's points now. Written only with the row locked, next to the entry that explains it."""

    client = models.OneToOneField(
        "bookings_app.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="loyalty_balance",
    )
    points = models.IntegerField(_("points"), default=0)
    # The client's entries so far, counted as they are written: the points report's totals
    # read these (one row a client) rather than every entry ever written.
    entries = models.PositiveIntegerField(_("entries"), default=0)
    added = models.PositiveIntegerField(_("points added"), default=0)
    deducted = models.PositiveIntegerField(_("points deducted"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("points balance")
        verbose_name_plural = _("points balances")
        constraints = [
            # A balance never goes below zero, whatever races: the last guard behind the lock.
            models.CheckConstraint(condition=Q(points__gte=0), name="loyalty_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.points}"


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned")
    MANUAL = "manual", _("Changed by hand")
    AUTOMATION = "automation", _("Given by an automation")
    REDEEMED = "redeemed", _("Spent on a gift card")
    REVERSED = "reversed", _("Taken back")
    PAID_ONLINE = "paid_online", _("Earned by paying online")
    PAYMENT_REVERSED = "payment_reversed", _("Taken back after a refund")


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused like single ones: the ledger is history."""

    def update(self, **kwargs) -> int:
        raise LedgerIsAppendOnly()

    def delete(self):
        raise LedgerIsAppendOnly()


class LedgerEntry(models.Model):
    """One change of a client's points, with the balance it left. Never edited, never deleted."""

    client = models.ForeignKey(
        "bookings_app.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        db_index=False,  # loyalty_entry_client_idx starts with it
    )
    points = models.IntegerField(_("points"))
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    description = models.CharField(_("description"), max_length=255, help_text=_("The client sees it."))
    # What happened, without words (see entry_wording): worded in each reader's language when shown.
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    booking = models.ForeignKey(
        "bookings_app.Booking",
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    # The online payment that earned (or, refunded, lost) the points of a paid_online entry.
    payment = models.ForeignKey(
        "bookings_app.Payment",
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The booking's service, kept on the entry so the report filters by service without a join.
    service = models.ForeignKey(
        "bookings_app.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # loyalty_entry_service_idx starts with it
    )
    gift_card = models.ForeignKey(
        "GiftCard",
        verbose_name=_("gift card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    # The only change the database may make to an entry: forgetting a deleted account.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    balance_after = models.IntegerField(_("balance after"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        default_permissions = ("add", "view")
        indexes = [
            # The points report, newest first, unfiltered or by dates / client / kind / service.
            models.Index(fields=["-created_at", "-id"], name="loyalty_entry_newest_idx"),
            models.Index(fields=["client", "-created_at", "-id"], name="loyalty_entry_client_idx"),
            models.Index(fields=["kind", "-created_at", "-id"], name="loyalty_entry_kind_idx"),
            models.Index(
                fields=["service", "-created_at", "-id"],
                condition=Q(service__isnull=False),
                name="loyalty_entry_service_idx",
            ),
        ]
        constraints = [
            # Every entry changes something; only a reversal may be zero ("already spent").
            models.CheckConstraint(
                condition=~Q(points=0) | Q(kind__in=["reversed", "payment_reversed"]),
                name="loyalty_entry_points_not_zero",
            ),
            # The sign follows the kind: earning adds, spending and taking back remove.
            models.CheckConstraint(
                condition=(
                    Q(kind="earned", points__gt=0)
                    | Q(kind="redeemed", points__lt=0)
                    | Q(kind="reversed", points__lte=0)
                    | Q(kind="manual")
                    | Q(kind="automation", points__gt=0)
                    | Q(kind="paid_online", points__gt=0)
                    | Q(kind="payment_reversed", points__lte=0)
                ),
                name="loyalty_entry_sign_follows_kind",
            ),
            # No entry leaves a negative balance (the balance row has the same guard).
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="loyalty_entry_balance_after_not_negative"
            ),
            # Earned and taken-back points always name their booking; spent points their card.
            models.CheckConstraint(
                condition=~Q(kind__in=["earned", "reversed"]) | Q(booking__isnull=False),
                name="loyalty_entry_booking_when_automatic",
            ),
            models.CheckConstraint(
                condition=~Q(kind="redeemed") | Q(gift_card__isnull=False),
                name="loyalty_entry_gift_card_when_redeemed",
            ),
            # A booking earns its points once, however often the credit task runs.
            models.UniqueConstraint(
                fields=["booking"], condition=Q(kind="earned"), name="loyalty_entry_earned_once_per_booking"
            ),
            # A cancelled booking's points are taken back once.
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(kind="reversed"),
                name="loyalty_entry_reversed_once_per_booking",
            ),
            # Points for money paid online name their payment; it earns once and is taken back once.
            models.CheckConstraint(
                condition=~Q(kind__in=["paid_online", "payment_reversed"]) | Q(payment__isnull=False),
                name="loyalty_entry_payment_when_paid_online",
            ),
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="paid_online"), name="loyalty_entry_paid_online_once"
            ),
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(kind="payment_reversed"),
                name="loyalty_entry_payment_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.points:+d} ({self.get_kind_display()})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise LedgerIsAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly()

    @property
    def kind_label(self) -> str:
        """``get_kind_display`` without its cost: Django's hashes every kind's lazy label on each
        call, which was a sixth of the points report's 50 rows."""
        try:
            return EntryKind(self.kind).label
        except ValueError:  # as Django shows a value that is not among the choices
            return self.kind

    @property
    def wording(self) -> str:
        """The description in the active language and time zone."""
        return describe(self)
