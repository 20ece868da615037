"""Points for money paid online (``Program.points_per_currency_unit``), credited when loyalty
reads a ``payment.received`` event and taken back when a ``payment.refunded`` event (a booking's)
or a ``plan.refunded`` event (a pack's) finds the payment refunded in full (docs/payments.md, "Loyalty").

Each payment earns once and is taken back once: partial unique constraints on the ledger
(``loyalty_entry_paid_online_once``, ``loyalty_entry_payment_reversed_once``) are the guard,
so a replayed event or a second worker changes nothing. A partial refund keeps the points.
"""

from decimal import ROUND_FLOOR, Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bookings_app.core.events import record_event
from bookings_app.models import Payment, PlanOrder
from bookings_app.models.payments import CHARGED_STATUSES, PaymentStatus

from ..entry_wording import PAID_ONLINE, PAYMENT_REFUNDED, payment_reason
from ..events import POINTS_EARNED
from ..models import EntryKind, LedgerEntry, Program
from ..notifications import queue_points_earned
from .ledger import locked_balance, post_entry
from .points import _in_clients_language


def points_for(amount: Decimal, *, rate: int) -> int:
    """Whole points for ``amount`` at ``rate`` points per unit, rounded down."""
    return int((Decimal(amount) * rate).to_integral_value(rounding=ROUND_FLOOR))


def credit_online_payment(*, payment_id: int | None) -> LedgerEntry | None:
    """Credit the client of a charged payment its points; None when the program is off, the rate
    is 0, the payment earns nothing or earned already. The client is told as after a visit."""
    program = Program.current()
    if not program.is_enabled or not program.points_per_currency_unit:
        return None
    payment = _payment(payment_id)
    if payment is None or payment.status not in CHARGED_STATUSES:
        return None
    points = points_for(payment.amount, rate=program.points_per_currency_unit)
    if points <= 0:
        return None
    booking = payment.booking
    with transaction.atomic():
        balance = locked_balance(booking.client)
        with _in_clients_language(booking.client):
            description = _("Paid online: %(amount)s %(currency)s") % _money(payment.amount, payment)
        try:
            entry = post_entry(
                balance=balance,
                points=points,
                kind=EntryKind.PAID_ONLINE,
                booking=booking,
                description=description,
                reason=payment_reason(PAID_ONLINE, payment, amount=payment.amount),
                payment=payment,
            )
        except IntegrityError:
            if LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PAID_ONLINE).exists():
                return None
            raise
        record_event(
            POINTS_EARNED, booking=booking, payload={"points": points, "balance": entry.balance_after}
        )
        queue_points_earned(entry=entry, booking=booking, program=program)
    return entry


def credit_plan_purchase(*, payment_id: int | None) -> LedgerEntry | None:
    """Credit the buyer of a pack bought online (a ``plan.purchased`` event) at the same rate,
    once per payment (``loyalty_entry_paid_online_once``), while the owner's "class packs bought
    online earn points too" is on; None otherwise."""
    program = Program.current()
    if not (program.is_enabled and program.points_per_currency_unit and program.points_for_plans):
        return None
    payment = Payment.objects.filter(pk=payment_id).first() if isinstance(payment_id, int) else None
    order = PlanOrder.objects.select_related("client").filter(payment=payment).first() if payment else None
    if order is None or payment.status not in CHARGED_STATUSES:
        return None
    points = points_for(payment.amount, rate=program.points_per_currency_unit)
    if points <= 0:
        return None
    with transaction.atomic():
        balance = locked_balance(order.client)
        with _in_clients_language(order.client):
            description = _("Paid online: %(amount)s %(currency)s") % _money(payment.amount, payment)
        try:
            entry = post_entry(
                balance=balance,
                points=points,
                kind=EntryKind.PAID_ONLINE,
                description=description,
                reason=payment_reason(PAID_ONLINE, payment, amount=payment.amount),
                payment=payment,
            )
        except IntegrityError:
            if LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PAID_ONLINE).exists():
                return None
            raise
        record_event(
            POINTS_EARNED, client=order.client, payload={"points": points, "balance": entry.balance_after}
        )
        queue_points_earned(entry=entry, booking=None, program=program)
    return entry


def take_back_refunded_payment(*, payment_id: int | None) -> LedgerEntry | None:
    """Once a payment is refunded in full, take back what it earned (never below a zero
    balance: points already spent stay spent); None when there is nothing to do."""
    payment = _payment(payment_id)
    if payment is None or payment.status != PaymentStatus.REFUNDED:
        return None
    booking = payment.booking
    client = booking.client if booking else _buyer(payment)
    if client is None:
        return None
    with transaction.atomic():
        balance = locked_balance(client)
        earned = LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PAID_ONLINE).first()
        if earned is None:
            return None
        taken = min(earned.points, balance.points)
        with _in_clients_language(client):
            description = _("Refunded: %(amount)s %(currency)s") % _money(payment.amount, payment)
        try:
            return post_entry(
                balance=balance,
                points=-taken,
                kind=EntryKind.PAYMENT_REVERSED,
                booking=booking,
                description=description,
                reason=payment_reason(
                    PAYMENT_REFUNDED, payment, amount=payment.amount, earned=earned.points, taken=taken
                ),
                payment=payment,
            )
        except IntegrityError:
            if LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PAYMENT_REVERSED).exists():
                return None
            raise


def _payment(payment_id: int | None) -> Payment | None:
    if not isinstance(payment_id, int):
        return None
    return (
        Payment.objects.select_related("booking__client", "booking__service", "booking__session")
        .filter(pk=payment_id)
        .first()
    )


def _buyer(payment: Payment):
    """Who paid a payment that is not a booking's: a pack's buyer (a sold gift card earns nothing)."""
    order = PlanOrder.objects.select_related("client").filter(payment=payment).first()
    return order.client if order else None


def _money(amount: Decimal, payment: Payment) -> dict:
    return {"amount": amount, "currency": payment.currency}
