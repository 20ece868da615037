"""Online payment's step at checkout (``bookings_app.plug_ins.checkout``), after the gift card's: a booking
held for payment gets its pending Payment for what is left to pay online, in the booking's
transaction. Registered from ``BookingsConfig.ready``."""

from django.conf import settings
from django.http import HttpRequest

from ..models import Booking, BookingStatus

KEY = "zz_online"  # steps run in key order: every other way to pay (the gift card) comes first


def no_fields(request: HttpRequest) -> dict:
    return {}


def start_online_payments(request: HttpRequest, data: dict, bookings: list[Booking]) -> None:
    from ..services.payments import start_payment

    for booking in bookings:
        if booking.status == BookingStatus.AWAITING_PAYMENT:
            start_payment(booking=booking, provider_name=settings.PAYMENT_PROVIDER)
