"""Payments for something that is not a booking (``Payment.purpose``: a gift card order …).

The same guarantees as a booking's payment (``services/payments.py``), without a place to hold:
- the provider event is stored once by ``process_provider_event``, which hands these payments here;
- "paid" is checked against the amount and currency owed, entered once in the ledger (the
  unique charge per payment), then handed to the purpose's ``paid`` hook in the same transaction,
  with the payment row locked, so what is sold is delivered exactly once;
- a second payment for an order already paid is refunded in full.
"""

import logging
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError
from ..core.hand_over import after_commit
from ..models import Payment, PaymentLedgerEntry, PaymentRefund, PaymentStatus
from ..models.payments import BOOKING_PURPOSE, CHARGED_STATUSES, LedgerKind, RefundReason
from ..payments import ProviderEvent
from ..payments.base import FAILED, PAID
from ..plug_ins.payment_purposes import purpose_of
from .fees import FEE_TASK
from .receipts import issue_receipt

log = logging.getLogger("rendez.payments")


class NothingToPay(BookingError):
    default_message = _("Nothing is left to pay online.")


def start_purpose_payment(
    *,
    purpose: str,
    key: str,
    amount: Decimal,
    currency: str,
    provider_name: str,
    now: datetime | None = None,
) -> Payment:
    """The pending payment of the order ``key`` of ``purpose`` (the open one again if there is one).

    Call it inside the transaction that makes or locks the order. Raises NothingToPay for
    an amount that is not positive."""
    if purpose == BOOKING_PURPOSE or not key:
        raise ValueError("a booking's payment starts with services.payments.start_payment")
    if amount <= 0:
        raise NothingToPay()
    with transaction.atomic():
        pending = Payment.objects.filter(
            purpose=purpose, purpose_key=key, status=PaymentStatus.PENDING
        ).first()
        if pending is not None:
            return pending
        return Payment.objects.create(
            purpose=purpose,
            purpose_key=key,
            amount=amount,
            currency=currency.upper(),
            provider=provider_name,
            created_at=now or timezone.now(),
        )


def process_purpose_event(
    found: Payment, event: ProviderEvent, *, now: datetime, refund_ids: list
) -> tuple[str, int]:
    """Inside ``process_provider_event``'s transaction, for a verified event not seen before:
    (what happened, the payment's id), as ``services.payments.Outcome`` holds it."""
    payment = Payment.objects.select_for_update().get(pk=found.pk)
    if event.kind != PAID:
        closed = PaymentStatus.FAILED if event.kind == FAILED else PaymentStatus.ABANDONED
        if not Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(status=closed):
            return ("already_closed", payment.pk)
        return ("declined" if closed == PaymentStatus.FAILED else "abandoned", payment.pk)
    if event.amount != payment.amount or event.currency.upper() != payment.currency.upper():
        log.warning(
            "payment %s (%s): provider says %s %s was paid, %s %s is owed; nothing delivered",
            payment.pk,
            payment.purpose,
            event.amount,
            event.currency,
            payment.amount,
            payment.currency,
        )
        return ("amount_mismatch", payment.pk)
    if payment.status in CHARGED_STATUSES:
        return ("already_paid", payment.pk)
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.PAID,
        paid_at=now,
        provider_payment_reference=event.payment_reference or payment.provider_payment_reference,
    )
    entry = PaymentLedgerEntry.objects.create(
        payment=payment,
        booking=None,
        kind=LedgerKind.CHARGE,
        amount=payment.amount,
        currency=payment.currency,
        provider=payment.provider,
        provider_reference=event.payment_reference or payment.provider_reference,
        at=now,
    )
    after_commit(FEE_TASK, payment.pk)  # the provider's fee, asked once the charge is committed
    payment.refresh_from_db()
    purpose = purpose_of(payment)
    outcome = "fulfilled"
    if purpose is None or not purpose.paid(payment, now, event.saved_card):
        if purpose is None:
            log.error("payment %s: no app handles the purpose %r; refunding it", payment.pk, payment.purpose)
        # Just charged, never refunded: all of it goes back (sent after commit, like any refund).
        refund = PaymentRefund.objects.create(
            payment=payment, amount=payment.amount, reason=RefundReason.PAID_TWICE
        )
        refund_ids.append(refund.pk)
        outcome = "refunding"
    issue_receipt(entry=entry, now=now)  # last: the receipt counter stays locked until commit
    return (outcome, payment.pk)
