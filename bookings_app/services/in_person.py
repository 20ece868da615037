"""Money taken at the desk (cash, or a card on the business's own terminal), recorded by the
owner from the booking's page, with its receipt (docs/payments.md, "Payments at the desk").

It is a ``Payment`` already paid, whose provider is the method, and its charge in the ledger,
like an online one: the ledger check, the payments list, the revenue and the receipts read it
the same way, and a refund of it is recorded at once (nothing to ask a provider). One
transaction, the booking locked first: what is left to pay is read under the lock, and the
form's ``request_key`` is the payment's reference (unique per provider), so a form sent twice
records once.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError
from ..models import (
    Booking,
    BookingStatus,
    Business,
    Payment,
    PaymentLedgerEntry,
    PaymentMethod,
    PaymentStatus,
)
from ..models.payments import IN_PERSON_PROVIDERS, LedgerKind
from .checkout import record_prepayment
from .receipts import issue_receipt

CENT = Decimal("0.01")


class DeskPaymentRefused(BookingError):
    default_message = _("This payment cannot be recorded.")


def record_desk_payment(
    *,
    booking: Booking,
    amount: Decimal,
    method: str,
    request_key: str,
    email_receipt: bool = False,
    now: datetime | None = None,
) -> Payment:
    """``amount`` paid at the desk for a confirmed ``booking`` by ``method`` (cash or card), its
    ledger charge and its receipt (e-mailed to the client when ``email_receipt``).

    Raises DeskPaymentRefused for a booking that is not confirmed, an amount that is not
    positive or more than is left to pay, or an unknown method; nothing is written then."""
    now = now or timezone.now()
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if method not in IN_PERSON_PROVIDERS:
        raise DeskPaymentRefused(_("Choose cash or card."))
    reference = f"desk-{request_key}"
    try:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            done = Payment.objects.filter(provider=method, provider_reference=reference).first()
            if done is not None:  # the same form sent twice
                return done
            _check(booking, amount)
            payment = Payment.objects.create(
                booking=booking,
                amount=amount,
                currency=Business.current().currency.upper(),
                status=PaymentStatus.PAID,
                provider=method,
                provider_reference=reference,
                created_at=now,
                paid_at=now,
            )
            entry = PaymentLedgerEntry.objects.create(
                payment=payment,
                booking=booking,
                kind=LedgerKind.CHARGE,
                amount=amount,
                currency=payment.currency,
                provider=method,
                provider_reference=reference,
                at=now,
            )
            record_prepayment(booking=booking, amount=amount, method=PaymentMethod.IN_PERSON)
            issue_receipt(entry=entry, now=now, email=email_receipt)  # last: the counter's lock
            return payment
    except IntegrityError:  # the same form, sent twice at once: the first one recorded it
        return Payment.objects.get(provider=method, provider_reference=reference)


def _check(booking: Booking, amount: Decimal) -> None:
    if booking.status != BookingStatus.CONFIRMED:
        raise DeskPaymentRefused(_("Only a confirmed booking takes a payment."))
    left = max(booking.price - booking.prepaid_amount, Decimal("0.00"))
    if left <= 0:
        raise DeskPaymentRefused(_("Nothing is left to pay for this booking."))
    if amount <= 0 or amount > left:
        raise DeskPaymentRefused(
            _("Enter an amount from 0.01 to %(left)s %(currency)s.")
            % {"left": left, "currency": Business.current().currency}
        )
