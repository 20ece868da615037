"""The provider's fee on a charge, entered in the payments ledger once (docs/payments.md,
"Provider fees").

A provider tells its fee only after the charge (Stripe: on the charge's balance transaction),
so it is asked outside any transaction, after the charge committed (``record_payment_fee``,
handed to a worker), and again by beat's sweep for recent charges still without one. The fee
is an append-only ``PaymentLedgerEntry`` of kind ``fee`` naming its charge; the unique
``payment_entry_one_fee`` makes a second reading of the same fee change nothing.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Payment, PaymentLedgerEntry
from ..models.payments import CHARGED_STATUSES, IN_PERSON_PROVIDERS, LedgerKind
from ..payments import ProviderError, provider

log = logging.getLogger("rendez.payments")

FEE_TASK = "bookings_app.tasks.record_payment_fee"
SWEEP_WINDOW = timedelta(days=3)  # a fee not known by then is not asked for again
SWEEP_BATCH = 100


def record_payment_fee(*, payment_id: int, now: datetime | None = None) -> PaymentLedgerEntry | None:
    """Ask the payment's provider for its fee and enter it once; None when there is none to
    enter (not charged, taken at the desk, not known yet, or in another currency than the charge)."""
    now = now or timezone.now()
    payment = Payment.objects.filter(pk=payment_id, status__in=CHARGED_STATUSES).first()
    if payment is None or payment.provider in IN_PERSON_PROVIDERS:
        return None
    charge = PaymentLedgerEntry.objects.filter(payment=payment, kind=LedgerKind.CHARGE).first()
    if charge is None:
        return None
    known = PaymentLedgerEntry.objects.filter(charge=charge, kind=LedgerKind.FEE).first()
    if known is not None:
        return known
    try:
        reported = provider(payment.provider).fee(payment)
    except ProviderError as error:
        log.warning("fee of payment %s not read: %s", payment.pk, error.message)
        return None
    if reported is None:
        return None
    amount, currency = reported
    if currency.upper() != payment.currency.upper() or not Decimal("0") < amount <= payment.amount:
        log.warning(
            "payment %s: the provider reports a fee of %s %s on %s %s; not entered",
            payment.pk,
            amount,
            currency,
            payment.amount,
            payment.currency,
        )
        return None
    return enter_fee(charge, amount=amount, now=now)


def enter_fee(charge: PaymentLedgerEntry, *, amount: Decimal, now: datetime) -> PaymentLedgerEntry:
    """The fee row of ``charge``, once (the demo enters one it computed itself)."""
    try:
        with transaction.atomic():
            return PaymentLedgerEntry.objects.create(
                payment_id=charge.payment_id,
                booking_id=charge.booking_id,
                charge=charge,
                kind=LedgerKind.FEE,
                amount=amount,
                currency=charge.currency,
                provider=charge.provider,
                provider_reference=charge.provider_reference,
                at=now,
            )
    except IntegrityError:  # entered at the same moment by another worker
        return PaymentLedgerEntry.objects.get(charge=charge, kind=LedgerKind.FEE)


def record_missing_fees(*, now: datetime | None = None) -> int:
    """Beat: the recent online charges without a fee, asked again; returns how many were entered."""
    now = now or timezone.now()
    ids = list(
        Payment.objects.filter(status__in=CHARGED_STATUSES, paid_at__gte=now - SWEEP_WINDOW)
        .exclude(provider__in=IN_PERSON_PROVIDERS)
        .exclude(ledger_entries__kind=LedgerKind.FEE)
        .order_by("paid_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(record_payment_fee(payment_id=pk, now=now) is not None for pk in ids)
