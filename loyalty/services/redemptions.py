"""Gift cards paying for bookings, and the amount going back when a booking is cancelled.

Locks, always in this order: the booking (``apply_gift_card_to_booking``), then the card.
The card's ``remaining_value`` is also lowered by a conditional UPDATE and guarded by a
check constraint, so no race spends a card twice.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings_app.models import LIVE_STATUSES, Booking, BookingStatus, PaymentMethod
from bookings_app.services.checkout import record_prepayment, record_prepayment_refund

from ..codes import is_well_formed, normalise_code
from ..errors import (
    AlreadyPaid,
    BookingNotPayable,
    BookingStillLive,
    GiftCardAlreadyApplied,
    GiftCardEmpty,
    GiftCardExpired,
    GiftCardNotFound,
    GiftCardRefunded,
)
from ..models import GiftCard, GiftCardRedemption
from ..selectors import gift_card_paid
from .gift_card_refunds import refund_in_progress

CENT = Decimal("0.01")
SCAN_BATCH = 500


def redeem_gift_card(
    *, code: str, booking: Booking, amount_due: Decimal, now: datetime | None = None
) -> GiftCardRedemption:
    """Pay up to ``amount_due`` of ``booking`` with the card behind ``code``; the rest is paid otherwise.

    Call it inside the transaction that makes or confirms the booking, so the payment and
    the booking commit together. The code is forgiving about case, dashes and spaces.
    Raises GiftCardNotFound, GiftCardRefunded (its sale refunded or being refunded),
    GiftCardExpired, GiftCardEmpty, GiftCardAlreadyApplied, and
    AlreadyPaid when nothing is due.
    """
    normalised = normalise_code(code)
    if not is_well_formed(normalised):
        raise GiftCardNotFound()
    amount_due = Decimal(amount_due).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount_due <= 0:
        raise AlreadyPaid()
    with transaction.atomic():
        card = GiftCard.objects.select_for_update().filter(code=normalised).first()
        if card is None:
            raise GiftCardNotFound()
        if card.voided_at is not None or refund_in_progress(card):
            raise GiftCardRefunded()
        if card.is_expired(now=now):
            raise GiftCardExpired()
        if card.remaining_value <= 0:
            raise GiftCardEmpty()
        if card.redemptions.filter(booking=booking, refunded_at__isnull=True).exists():
            raise GiftCardAlreadyApplied()
        amount = min(card.remaining_value, amount_due)
        if not GiftCard.objects.filter(pk=card.pk, remaining_value__gte=amount).update(
            remaining_value=F("remaining_value") - amount
        ):
            raise GiftCardEmpty()
        try:
            with transaction.atomic():
                return GiftCardRedemption.objects.create(gift_card=card, booking=booking, amount=amount)
        except IntegrityError as e:
            raise GiftCardAlreadyApplied() from e


def apply_gift_card_to_booking(*, booking: Booking, code: str) -> Decimal:
    """Pay what is still due on a confirmed booking with a gift card; returns the amount paid.

    What is due is the booking's price minus what gift cards already paid. The booking row
    is locked first, so two checkouts of one booking cannot both pay it in full. Raises
    BookingNotPayable, AlreadyPaid and what ``redeem_gift_card`` raises.
    """
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.CONFIRMED:
            raise BookingNotPayable()
        if booking.paid_at is not None:
            raise AlreadyPaid()
        due = booking.price - gift_card_paid(booking)
        if due <= 0:
            raise AlreadyPaid()
        amount = redeem_gift_card(code=code, booking=booking, amount_due=due).amount
        record_prepayment(booking=booking, amount=amount, method=PaymentMethod.GIFT_CARD)
        return amount


def pay_at_checkout(*, code: str, bookings: list[Booking], now: datetime | None = None) -> Decimal:
    """Pay just-made ``bookings`` with the card behind ``code``, in order, until the card or the price
    runs out; returns the amount paid. The rest is paid in person.

    Call it inside the transaction that made the bookings. A booking the card already pays (the
    same form sent twice) is skipped. Raises BookingNotPayable for a request awaiting approval
    and what ``redeem_gift_card`` raises when the card pays nothing.
    """
    paid = Decimal("0.00")
    with transaction.atomic():
        for booking in bookings:
            if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.AWAITING_PAYMENT):
                raise BookingNotPayable(_("Clients cannot pay online for such a service."))
            if GiftCardRedemption.objects.filter(booking=booking, refunded_at__isnull=True).exists():
                continue
            due = booking.price - booking.prepaid_amount
            if due <= 0:
                continue
            try:
                redemption = redeem_gift_card(code=code, booking=booking, amount_due=due, now=now)
            except GiftCardEmpty:
                if paid:
                    break  # the card paid the first sessions of a course; the rest in person
                raise
            record_prepayment(booking=booking, amount=redemption.amount, method=PaymentMethod.GIFT_CARD)
            paid += redemption.amount
    return paid


def refund_redemptions(*, booking: Booking, now: datetime | None = None) -> list[GiftCardRedemption]:
    """Return to their cards what gift cards paid for a cancelled or declined booking; once.

    Returns the payments refunded now ([] when there was nothing left to refund). Raises
    BookingStillLive for a booking that is still requested or confirmed.
    """
    now = now or timezone.now()
    if Booking.objects.filter(pk=booking.pk, status__in=LIVE_STATUSES).exists():
        raise BookingStillLive()
    refunded = []
    with transaction.atomic():
        live = GiftCardRedemption.objects.filter(booking=booking, refunded_at__isnull=True).order_by(
            "gift_card_id"
        )
        for redemption in live:
            GiftCard.objects.select_for_update().filter(pk=redemption.gift_card_id).first()
            if not GiftCardRedemption.objects.filter(pk=redemption.pk, refunded_at__isnull=True).update(
                refunded_at=now
            ):
                continue  # a concurrent refund returned it
            GiftCard.objects.filter(pk=redemption.gift_card_id).update(
                remaining_value=F("remaining_value") + redemption.amount
            )
            record_prepayment_refund(booking=booking, amount=redemption.amount)
            redemption.refunded_at = now
            refunded.append(redemption)
    return refunded
