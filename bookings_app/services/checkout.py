"""Checkout: a booking and its online payment commit together, or neither does."""

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..core.errors import OnlinePaymentNotOffered
from ..models import Booking, BookingStatus, PaymentMethod

Booked = Booking | list[Booking]


def book_and_pay(*, book: Callable[[], Booked], pay: Callable[[list[Booking]], None]) -> Booked:
    """Make the booking(s) with ``book``, then ``pay`` for them, in one transaction.

    Whatever ``pay`` raises (``PaymentRefused``) rolls the booking back with it. The
    confirmation e-mail ``book`` stores is written when it is sent, so it tells what was paid.
    """
    with transaction.atomic():
        booked = book()
        pay(booked if isinstance(booked, list) else [booked])
    return booked


def record_prepayment(*, booking: Booking, amount: Decimal, method: str) -> Booking:
    """Count ``amount`` paid online for a confirmed ``booking``; paid in full, it is marked paid.

    A booking held while the client pays online counts it too.
    Raises OnlinePaymentNotOffered for a request awaiting approval (clients cannot pay those online).
    """
    payable = (BookingStatus.CONFIRMED, BookingStatus.AWAITING_PAYMENT)
    with transaction.atomic():
        if not Booking.objects.filter(pk=booking.pk, status__in=payable).update(
            prepaid_amount=F("prepaid_amount") + amount, payment_method=method
        ):
            raise OnlinePaymentNotOffered()
        Booking.objects.filter(pk=booking.pk, paid_at__isnull=True, prepaid_amount__gte=F("price")).update(
            paid_at=timezone.now()
        )
        booking.refresh_from_db(fields=["prepaid_amount", "payment_method", "paid_at"])
    return booking


def record_prepayment_refund(*, booking: Booking, amount: Decimal) -> None:
    """Count ``amount`` of an online payment as given back (to the gift card it came from).

    Refunded in full, the booking is no longer marked paid by that method.
    """
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk, prepaid_amount__gte=amount).update(
            prepaid_amount=F("prepaid_amount") - amount
        )
        gift_paid_only = Booking.objects.filter(pk=booking.pk, prepaid_amount=0)
        gift_paid_only.exclude(payment_method=PaymentMethod.IN_PERSON).update(paid_at=None, payment_method="")
