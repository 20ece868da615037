"""Receipts and credit notes: one numbered document per online charge and per refund given
(docs/payments.md, "Receipts").

Numbers run without gaps in each series (R-000001, R-000002 …; CN-000001 …): the next one is
taken from the series' ``ReceiptCounter`` row, locked, in the transaction that enters the
charge or refund in the payments ledger, so a transaction that rolls back takes no number.
A receipt is history: it keeps a copy of everything it prints (``snapshot``) and is never
edited or deleted.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .payments import AppendOnlyQuerySet, PaymentLedgerIsAppendOnly


class ReceiptsAreAppendOnly(PaymentLedgerIsAppendOnly):
    default_message = _("Receipts are never changed or deleted.")


class ReceiptQuerySet(AppendOnlyQuerySet):
    def update(self, **kwargs) -> int:
        raise ReceiptsAreAppendOnly()

    def delete(self):
        raise ReceiptsAreAppendOnly()


class ReceiptSeries(models.TextChoices):
    RECEIPT = "R", _("Receipt")
    CREDIT_NOTE = "CN", _("Credit note")


class ReceiptCounter(models.Model):
    """The last number given in one series; locked (``select_for_update``) to take the next."""

    series = models.CharField(max_length=4, choices=ReceiptSeries.choices, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")

    def __str__(self) -> str:
        return f"{self.series} {self.last_number}"


class Receipt(models.Model):
    """A receipt for one charge or a credit note for one refund, as it was issued.

    ``amount`` is what the client paid (or got back), VAT included; ``vat_amount`` is the VAT
    part of it at ``vat_rate``. ``snapshot`` holds the rest of what the document prints: the
    business's legal details, the client's name, the service and its date (or, for a sale that
    is not a booking, its ``sale`` line), the provider or the method at the desk, the receipt a
    credit note refers to, and a ``discount`` line.
    """

    series = models.CharField(_("series"), max_length=4, choices=ReceiptSeries.choices)
    number = models.PositiveIntegerField(_("number"))
    # None for a sale that is not a booking (a gift card: the payment's ``purpose``).
    booking = models.ForeignKey(
        "Booking",
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    payment = models.ForeignKey("Payment", on_delete=models.PROTECT, related_name="receipts")
    ledger_entry = models.OneToOneField(
        "PaymentLedgerEntry", on_delete=models.PROTECT, related_name="receipt"
    )
    credits = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    vat_amount = models.DecimalField(_("VAT"), max_digits=9, decimal_places=2, default=Decimal("0"))
    language = models.CharField(_("language"), max_length=8, default="en")
    snapshot = models.JSONField(default=dict)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["issued_at", "pk"]
        default_permissions = ("add", "view")
        constraints = [
            # Each number is given once in its series.
            models.UniqueConstraint(fields=["series", "number"], name="receipt_number_once_per_series"),
            models.CheckConstraint(condition=Q(number__gt=0), name="receipt_number_positive"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
            # VAT is a part of the amount, at a percentage rate.
            models.CheckConstraint(
                condition=Q(vat_amount__gte=0) & Q(vat_amount__lte=F("amount")),
                name="receipt_vat_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="receipt_vat_rate_percent"
            ),
            # Only a credit note refers to a receipt.
            models.CheckConstraint(
                condition=Q(series="CN") | Q(credits__isnull=True), name="receipt_only_credit_notes_refer"
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ReceiptsAreAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReceiptsAreAppendOnly()

    @property
    def display_number(self) -> str:
        return f"{self.series}-{self.number:06d}"

    @property
    def is_credit_note(self) -> bool:
        return self.series == ReceiptSeries.CREDIT_NOTE

    @property
    def net_amount(self) -> Decimal:
        return self.amount - self.vat_amount
