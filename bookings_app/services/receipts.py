"""Receipts and credit notes, numbered without gaps (docs/payments.md, "Receipts"): for a
booking's charges and refunds, online or at the desk, and for sales of other apps (gift cards).

``issue_receipt`` is called inside the transaction that enters a charge or a refund in the
payments ledger, after everything else that transaction does, so the series' counter row is
locked for as short a time as the commit allows:

1. everything the document prints is read and copied first (``snapshot``), no lock taken;
2. the series' ``ReceiptCounter`` row is locked (``select_for_update``) and moved on by one;
3. the receipt row and its e-mail (stored unwritten: the worker renders it and its PDF after
   commit) are inserted.

A transaction that rolls back takes its number back with it, and one that commits has its
receipt: the numbers of a series have no gap. ``receipt_number_once_per_series`` refuses a
duplicate whatever happens.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..mail import outbox
from ..mail.receipt_emails import RECEIPT as RECEIPT_EMAIL
from ..mail.recipients import language_for
from ..models import Booking, Business, Client, Payment, PaymentLedgerEntry, PaymentRefund
from ..models.payments import IN_PERSON_PROVIDERS, LedgerKind
from ..models.receipts import Receipt, ReceiptCounter, ReceiptSeries
from ..plug_ins.payment_purposes import purpose_of
from ..selectors.discounts import discount_of

CENT = Decimal("0.01")


def vat_included(amount: Decimal, rate: Decimal) -> Decimal:
    """The VAT part of a price that includes VAT at ``rate`` percent."""
    if not rate:
        return Decimal("0.00")
    return (amount * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def issue_receipt(
    *, entry: PaymentLedgerEntry, now: datetime | None = None, email: bool = True
) -> Receipt | None:
    """The receipt of a charge, or the credit note of a refund, entered by ``entry``: a
    booking's (online or at the desk) or a sale's whose purpose names its buyer (a gift card).

    Call it inside the transaction that created ``entry``: the number it takes is given back
    if that transaction rolls back. Its e-mail to the client (unless ``email`` is False) is
    stored once (dedupe key ``receipt:<series>:<number>``) and written and sent after commit.
    None for a sale whose purpose issues no receipt."""
    now = now or timezone.now()
    business = Business.current()
    payment = Payment.objects.get(pk=entry.payment_id)
    sold = _what_was_sold(payment)
    if sold is None:
        return None
    client, booking, sale = sold
    credited = None
    if entry.kind == LedgerKind.CHARGE:
        series, rate = ReceiptSeries.RECEIPT, business.vat_rate
    else:
        series = ReceiptSeries.CREDIT_NOTE
        credited = Receipt.objects.filter(payment=payment, series=ReceiptSeries.RECEIPT).first()
        rate = credited.vat_rate if credited else business.vat_rate
    snapshot = _snapshot(
        business=business,
        client=client,
        booking=booking,
        sale=sale,
        payment=payment,
        entry=entry,
        credited=credited,
    )
    language = language_for(client, business)
    with transaction.atomic():
        number = _take_number(series)
        receipt = Receipt.objects.create(
            series=series,
            number=number,
            booking=booking,
            payment=payment,
            ledger_entry=entry,
            credits=credited,
            issued_at=now,
            amount=entry.amount,
            currency=entry.currency,
            vat_rate=rate,
            vat_amount=vat_included(entry.amount, rate),
            language=language,
            snapshot=snapshot,
        )
        if email and client.email:
            outbox.queue_email(
                kind=RECEIPT_EMAIL,
                dedupe_key=f"receipt:{series}:{number}",
                to=client.email,
                subject="",
                body_text="",
                client=client,
                booking=booking,
                language=language,
                about={"receipt_id": receipt.pk},
                business=business,
            )
    return receipt


def _what_was_sold(payment: Payment) -> tuple[Client, Booking | None, dict | None] | None:
    """(the client, the booking, the sale's line) a receipt of ``payment`` is about."""
    if payment.booking_id is not None:
        booking = Booking.objects.select_related("client", "service", "session__staff").get(
            pk=payment.booking_id
        )
        return booking.client, booking, None
    purpose = purpose_of(payment)
    if purpose is None or purpose.sale is None:
        return None
    client, detail = purpose.sale(payment)
    return client, None, {"purpose": payment.purpose, "label": str(purpose.label), "detail": detail}


def _take_number(series: str) -> int:
    """The next number of ``series``; its counter row stays locked until the caller commits."""
    counter = ReceiptCounter.objects.select_for_update().filter(series=series).first()
    if (
        counter is None
    ):  # the first of its series (the migration makes the rows; a flushed test database has none)
        try:
            with transaction.atomic():
                ReceiptCounter.objects.create(series=series)
        except IntegrityError:  # made at the same moment by another transaction
            pass
        counter = ReceiptCounter.objects.select_for_update().get(series=series)
    ReceiptCounter.objects.filter(series=series).update(last_number=F("last_number") + 1)
    return counter.last_number + 1


def _snapshot(
    *,
    business: Business,
    client: Client,
    booking: Booking | None,
    sale: dict | None,
    payment: Payment,
    entry: PaymentLedgerEntry,
    credited: Receipt | None,
) -> dict:
    """What the document prints besides its amounts, as it is now: it never changes later."""
    refund = PaymentRefund.objects.get(pk=entry.refund_id) if entry.refund_id else None
    return {
        "business": {
            "name": business.receipt_name,
            "trading_name": business.name,
            "address": business.legal_address,
            "tax_number": business.tax_number,
        },
        "client": {"name": client.full_name or client.email, "email": client.email},
        "booking": _booking_lines(booking, business=business)
        if booking
        else {"time_zone": business.time_zone},
        "sale": sale,
        "payment": {
            "method": "in_person" if payment.provider in IN_PERSON_PROVIDERS else "online",
            "provider": payment.provider,
            "reference": entry.provider_reference,
            "paid_at": (payment.paid_at or entry.at).isoformat(),
            "deposit": bool(booking) and entry.kind == LedgerKind.CHARGE and payment.amount < booking.price,
        },
        "refund": {"reason": refund.reason} if refund else None,
        "credits": credited.display_number if credited else None,
        "discount": _discount_line(booking, entry=entry, payment=payment) if booking else None,
    }


def _booking_lines(booking: Booking, *, business: Business) -> dict:
    session = booking.session
    return {
        "code": booking.code,
        "service": booking.service.name,
        "staff": session.staff.name if session.staff_id else "",
        "start": session.start.isoformat(),
        "time_zone": business.time_zone,
        "price": str(booking.price),
    }


def _discount_line(booking: Booking, *, entry: PaymentLedgerEntry, payment: Payment) -> dict | None:
    """The code's line on a receipt for the whole price ({"label": "SPRING10", "amount": "5.00"}),
    so that the service's price before it, less the discount, is the amount paid. A deposit or a
    credit note pays part of the discounted price: its lines would not add up, so it has none."""
    used = discount_of(booking)
    if used is None or entry.kind != LedgerKind.CHARGE or payment.amount != booking.price:
        return None
    return {"label": used.code, "amount": str(used.amount)}
