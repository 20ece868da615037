"""Discount codes: a percentage or an amount off a booking's price, and each use of one
(docs/payments.md, "Discount codes").

A code's ``uses`` counter is what the limits are checked against; it moves only by a
conditional UPDATE (``uses < max_uses``) in the booking's transaction, and one
``DiscountRedemption`` per booking says which code took how much off.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DiscountKind(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    AMOUNT = "amount", _("Fixed amount")


class DiscountCode(models.Model):
    """What the owner hands out: ``WELCOME10`` takes 10 % off, within its limits."""

    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("discount"), max_length=8, choices=DiscountKind.choices)
    percent = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    services = models.ManyToManyField(
        "Service",
        verbose_name=_("services"),
        blank=True,
        related_name="discount_codes",
        help_text=_("None chosen: it applies to every service."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("total uses"), null=True, blank=True)
    max_uses_per_client = models.PositiveIntegerField(_("uses per client"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("uses so far"), default=0, editable=False)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("discount code")
        verbose_name_plural = _("discount codes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Clients type codes in any case: WELCOME10 and welcome10 are one code.
            models.UniqueConstraint(Lower("code"), name="discount_code_unique_ci"),
            # A percentage (0 < p ≤ 100) or an amount with its currency, never both.
            models.CheckConstraint(
                condition=(
                    Q(kind="percent", percent__gt=0, percent__lte=100, amount__isnull=True)
                    | Q(kind="amount", amount__gt=0, percent__isnull=True) & ~Q(currency="")
                ),
                name="discount_code_percent_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=F("valid_until")),
                name="discount_code_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(max_uses__gte=1),
                name="discount_code_max_uses_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_uses_per_client__isnull=True) | Q(max_uses_per_client__gte=1),
                name="discount_code_client_uses_positive",
            ),
            # Never more uses than the limit: the last guard behind the conditional UPDATE.
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
                name="discount_code_uses_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def uses_left(self) -> int | None:
        return None if self.max_uses is None else max(self.max_uses - self.uses, 0)


class DiscountRedemption(models.Model):
    """One booking's use of a code: what it took off the price. Given back (``given_back_at``)
    when the booking ends unpaid; ``Booking.price`` is already the discounted price."""

    discount_code = models.ForeignKey(
        DiscountCode, verbose_name=_("discount code"), on_delete=models.PROTECT, related_name="redemptions"
    )
    booking = models.OneToOneField(
        "Booking", verbose_name=_("booking"), on_delete=models.PROTECT, related_name="discount"
    )
    client = models.ForeignKey(
        "Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="discount_redemptions"
    )
    code = models.CharField(_("code"), max_length=32)  # as it was when used, should the owner rename it
    price_before = models.DecimalField(_("price before the discount"), max_digits=9, decimal_places=2)
    amount = models.DecimalField(_("discount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    created_at = models.DateTimeField(_("used"), default=timezone.now)
    given_back_at = models.DateTimeField(_("given back"), null=True, blank=True)

    class Meta:
        verbose_name = _("discount code use")
        verbose_name_plural = _("discount code uses")
        indexes = [
            # The per-client limit counts a client's live uses of a code.
            models.Index(
                fields=["discount_code", "client"],
                condition=Q(given_back_at__isnull=True),
                name="discount_use_live_client_idx",
            ),
        ]
        constraints = [
            # A discount takes something off and never more than the price.
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=F("price_before")),
                name="discount_use_amount_in_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} −{self.amount} {self.currency}"

    @property
    def price_after(self):
        return self.price_before - self.amount
