"""Online payments: what a client owes online, the append-only money ledger, refunds, and the
provider events already processed (docs/payments.md).

Money is a Decimal with its ISO 4217 currency, never a float. Every charge and every refund
is a ``PaymentLedgerEntry``, never edited, never deleted; ``Payment.refunded_amount`` is the
stored total ``manage.py check_payments_ledger`` compares with the entries.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError


class PaymentLedgerIsAppendOnly(BookingError):
    default_message = _("Payment ledger entries are never changed or deleted.")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Declined")
    ABANDONED = "abandoned", _("Abandoned")
    REFUNDED = "refunded", _("Refunded")
    PARTLY_REFUNDED = "partly_refunded", _("Partly refunded")


# A payment that took money: refunds are counted against it.
CHARGED_STATUSES = (PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.PARTLY_REFUNDED)


def new_payment_token() -> str:
    return secrets.token_urlsafe(24)


# A payment is for a booking, or for something another app sells (``purpose`` names it, and the
# app's registry entry in ``plug_ins/payment_purposes.py`` says what happens once it is paid).
BOOKING_PURPOSE = "booking"


class Payment(models.Model):
    """What one booking (or one order of another app: ``purpose``) owes online through a
    provider, and what became of it."""

    booking = models.ForeignKey(
        "Booking",
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    purpose = models.CharField(_("for"), max_length=32, default=BOOKING_PURPOSE)
    # What the purpose's app knows the order by (a gift card order's token); empty for a booking.
    purpose_key = models.CharField(max_length=64, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_payment_token, editable=False)
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    provider = models.CharField(_("provider"), max_length=20)
    # The provider's checkout (Stripe: the Checkout Session id), then its payment (the PaymentIntent).
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    provider_payment_reference = models.CharField(max_length=255, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    refunded_amount = models.DecimalField(_("refunded"), max_digits=9, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Never more given back than was taken.
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="payment_refunded_within_amount",
            ),
            # A charge has a time; a payment that took nothing has no refund.
            models.CheckConstraint(
                condition=~Q(status__in=["paid", "refunded", "partly_refunded"]) | Q(paid_at__isnull=False),
                name="payment_charged_has_paid_at",
            ),
            # One open checkout per booking at a time.
            models.UniqueConstraint(
                fields=["booking"], condition=Q(status="pending"), name="payment_one_pending_per_booking"
            ),
            # A booking's payment names its booking; any other names its order, and no booking.
            models.CheckConstraint(
                condition=Q(purpose=BOOKING_PURPOSE, booking__isnull=False, purpose_key="")
                | (~Q(purpose=BOOKING_PURPOSE) & Q(booking__isnull=True) & ~Q(purpose_key="")),
                name="payment_booking_or_purpose",
            ),
            # One open checkout per order at a time.
            models.UniqueConstraint(
                fields=["purpose", "purpose_key"],
                condition=Q(status="pending") & ~Q(purpose=BOOKING_PURPOSE),
                name="payment_one_pending_per_order",
            ),
            # A provider's checkout belongs to one payment.
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="payment_one_per_provider_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"

    @property
    def refundable(self):
        if self.status not in CHARGED_STATUSES:
            return 0
        return self.amount - self.refunded_amount


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Being refunded")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Refund failed")


class RefundReason(models.TextChoices):
    OWNER = "owner", _("Refunded by the business")
    CANCELLED = "cancelled", _("Booking cancelled")
    LATE_PAYMENT = "late_payment", _("Paid after the place was given back")
    PAID_TWICE = "paid_twice", _("Paid twice for the same order")


class PaymentRefund(models.Model):
    """One refund asked of the provider; retried while it failed. Succeeded, it has its ledger entry."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=16, choices=RefundReason.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.get_status_display()})"


class LedgerKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    REFUND = "refund", _("Refund")
    FEE = "fee", _("Provider fee")


# Money taken at the desk (``services.in_person``): a Payment and its charge like an online one,
# with the method as its provider, so the ledger, its check and the receipts treat it the same.
CASH = "cash"
CARD_AT_DESK = "desk_card"
IN_PERSON_PROVIDERS = (CASH, CARD_AT_DESK)


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused like single ones: the ledger is history."""

    def update(self, **kwargs) -> int:
        raise PaymentLedgerIsAppendOnly()

    def delete(self):
        raise PaymentLedgerIsAppendOnly()


class PaymentLedgerEntry(models.Model):
    """Money that moved: a charge taken, a refund given, or the provider's fee on a charge.
    Never edited, never deleted."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger_entries")
    booking = models.ForeignKey(
        "Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_entries"
    )  # None for a payment that is not a booking's (``Payment.purpose``)
    refund = models.ForeignKey(
        PaymentRefund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    # A fee names the charge it was taken from.
    charge = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="fees", editable=False
    )
    kind = models.CharField(_("kind"), max_length=8, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    provider = models.CharField(_("provider"), max_length=20)
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    at = models.DateTimeField(_("date"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment ledger entry")
        verbose_name_plural = _("payment ledger entries")
        ordering = ["at", "pk"]
        default_permissions = ("add", "view")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_entry_amount_positive"),
            # A payment is charged once, however often its provider says so.
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="charge"), name="payment_entry_one_charge"
            ),
            # A refund is entered once; a refund entry names its refund.
            models.UniqueConstraint(
                fields=["refund"], condition=Q(refund__isnull=False), name="payment_entry_one_per_refund"
            ),
            # A refund entry names its refund, a fee its charge; a charge names neither.
            models.CheckConstraint(
                condition=Q(kind="charge", refund__isnull=True, charge__isnull=True)
                | Q(kind="refund", refund__isnull=False, charge__isnull=True)
                | Q(kind="fee", refund__isnull=True, charge__isnull=False),
                name="payment_entry_names_what_it_is_about",
            ),
            # The provider's fee on a charge is entered once, however often it is read.
            models.UniqueConstraint(fields=["charge"], condition=Q(kind="fee"), name="payment_entry_one_fee"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PaymentLedgerIsAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaymentLedgerIsAppendOnly()


class ProcessedProviderEvent(models.Model):
    """A provider's webhook event, stored in the transaction that processed it: each is processed once."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=80)
    outcome = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("processed provider event")
        verbose_name_plural = _("processed provider events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"
