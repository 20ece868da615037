"""Gift card products, the cards issued, and what each card paid for."""

from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..codes import display_code


class GiftCardProduct(models.Model):
    """A gift card the business offers: its value, how long it stays valid, its price in points."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    value = models.DecimalField(
        _("value"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"), default=365, validators=[MinValueValidator(1)]
    )
    points_price = models.PositiveIntegerField(
        _("price in points"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty if clients cannot buy it with points."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    sold_for_money = models.BooleanField(
        _("sold online for its value"),
        default=False,
        help_text=_("Offered on the public gift card page, paid online, while gift card sales are on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("gift card product")
        verbose_name_plural = _("gift card products")
        ordering = ["value", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="loyalty_product_value_positive"),
            models.CheckConstraint(
                condition=Q(validity_days__gt=0), name="loyalty_product_validity_positive"
            ),
            # A card for zero points would be free money: no price, or a positive one.
            models.CheckConstraint(
                condition=Q(points_price__isnull=True) | Q(points_price__gt=0),
                name="loyalty_product_points_price_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sold_for_points(self) -> bool:
        return self.is_active and self.points_price is not None


class GiftCard(models.Model):
    """One card: its code pays for bookings, whoever holds it, until it is spent or expires.

    ``code`` is stored normalised (16 characters, no dashes); ``display_code`` groups it.
    """

    code = models.CharField(_("code"), max_length=16, editable=False)
    product = models.ForeignKey(
        GiftCardProduct,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gift_cards",
    )
    initial_value = models.DecimalField(_("value"), max_digits=9, decimal_places=2)
    remaining_value = models.DecimalField(_("remaining"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    expires_at = models.DateTimeField(_("valid until"))
    owner = models.ForeignKey(
        "bookings_app.Client",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gift_cards",
        help_text=_("Who bought or received it; anyone holding the code may use it."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    request_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - unique when set
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    # A sold card refunded to its buyer (``services.gift_card_refunds``): worth nothing since.
    voided_at = models.DateTimeField(_("refunded and voided"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("gift card")
        verbose_name_plural = _("gift cards")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A code names exactly one card.
            models.UniqueConstraint(fields=["code"], name="loyalty_gift_card_code_unique"),
            # "Select with points" clicked twice buys one card.
            models.UniqueConstraint(
                fields=["request_key"],
                condition=Q(request_key__isnull=False),
                name="loyalty_gift_card_one_per_request",
            ),
            models.CheckConstraint(condition=Q(initial_value__gt=0), name="loyalty_gift_card_value_positive"),
            # A card is never overspent, nor refunded beyond what it was worth.
            models.CheckConstraint(
                condition=Q(remaining_value__gte=0) & Q(remaining_value__lte=F("initial_value")),
                name="loyalty_gift_card_remaining_within_value",
            ),
            # A voided card has nothing left to spend.
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | Q(remaining_value=0),
                name="loyalty_gift_card_voided_is_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"…{self.code[-4:]} ({self.remaining_value} {self.currency})"

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    def is_expired(self, *, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def last_valid_day(self, tz: tzinfo) -> date:
        """The last date, in ``tz``, on which the card pays: it expires at the next midnight."""
        return timezone.localtime(self.expires_at - timedelta(microseconds=1), tz).date()


class GiftCardRedemption(models.Model):
    """A card paying (part of) a booking. ``refunded_at`` is set when the amount went back."""

    gift_card = models.ForeignKey(
        GiftCard, verbose_name=_("gift card"), on_delete=models.PROTECT, related_name="redemptions"
    )
    booking = models.ForeignKey(
        "bookings_app.Booking",
        verbose_name=_("booking"),
        on_delete=models.PROTECT,
        related_name="gift_card_redemptions",
    )
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    refunded_at = models.DateTimeField(_("returned to the card"), null=True, blank=True)

    class Meta:
        verbose_name = _("gift card payment")
        verbose_name_plural = _("gift card payments")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The refund sweep looks for live payments of cancelled bookings.
            models.Index(
                fields=["booking"], condition=Q(refunded_at__isnull=True), name="loyalty_redemption_live_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loyalty_redemption_amount_positive"),
            # A card pays a booking once (two racing checkouts, a double click).
            models.UniqueConstraint(
                fields=["gift_card", "booking"],
                condition=Q(refunded_at__isnull=True),
                name="loyalty_redemption_once_per_card_and_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gift_card} → {self.booking_id}: {self.amount}"
