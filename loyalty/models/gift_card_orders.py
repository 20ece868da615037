"""Gift cards sold for money: an order, paid online, that issues its card once (docs/payments.md)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gift_cards import GiftCard, GiftCardProduct

GIFT_CARD_ORDER = "gift_card_order"  # its payments' ``Payment.purpose``


def new_order_token() -> str:
    return secrets.token_urlsafe(24)


class GiftCardOrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Waiting for payment")
    PAID = "paid", _("Paid")


class GiftCardOrder(models.Model):
    """Someone buying a card for money, for themselves or as a gift e-mailed on ``deliver_on``.

    Its payments are the ``Payment`` rows with purpose ``gift_card_order`` and ``purpose_key``
    = ``token``; the one that paid is ``payment``, and ``gift_card`` is the card it issued.
    """

    token = models.CharField(max_length=64, unique=True, default=new_order_token, editable=False)
    product = models.ForeignKey(
        GiftCardProduct,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    buyer = models.ForeignKey(
        "bookings_app.Client",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="gift_card_orders",
    )
    is_gift = models.BooleanField(_("a gift"), default=False)
    recipient_name = models.CharField(_("recipient's name"), max_length=120, blank=True)
    recipient_email = models.EmailField(_("recipient's e-mail"), blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    deliver_on = models.DateField(_("delivery date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GiftCardOrderStatus.choices,
        default=GiftCardOrderStatus.AWAITING_PAYMENT,
    )
    gift_card = models.OneToOneField(
        GiftCard,
        verbose_name=_("gift card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order",
    )
    payment = models.OneToOneField(
        "bookings_app.Payment",
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gift_card_order",
    )
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("gift e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("gift card order")
        verbose_name_plural = _("gift card orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The delivery task looks for paid gifts not yet e-mailed whose day has come.
            models.Index(
                fields=["deliver_on"],
                condition=Q(is_gift=True, status="paid", delivered_at__isnull=True),
                name="loyalty_order_gift_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loyalty_order_amount_positive"),
            # Paid means one card issued by one payment; waiting means neither yet.
            models.CheckConstraint(
                condition=Q(
                    status="paid", gift_card__isnull=False, payment__isnull=False, paid_at__isnull=False
                )
                | Q(status="awaiting_payment", gift_card__isnull=True, payment__isnull=True),
                name="loyalty_order_paid_has_card",
            ),
            # A gift knows where and when it goes.
            models.CheckConstraint(
                condition=Q(is_gift=False) | (~Q(recipient_email="") & Q(deliver_on__isnull=False)),
                name="loyalty_order_gift_has_recipient",
            ),
            # Only a paid gift is e-mailed to its recipient.
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(is_gift=True, status="paid"),
                name="loyalty_order_delivered_is_paid_gift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"
