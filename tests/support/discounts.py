"""Discount code helpers shared by the discount tests: a code with given terms, and a booking
made the way the booking form makes it (the seat, its code, then the online payment)."""

from decimal import Decimal

import pytest
from django.db import transaction

from bookings_app.models import Booking, DiscountCode, DiscountKind
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.discounts import DiscountRefused, create_discount_code, redeem_discount
from bookings_app.services.payments import hold_for, start_payment


def code(**terms) -> DiscountCode:
    """A code with ``terms`` over a plain 10 % one."""
    return create_discount_code(
        **{"code": "SPRING", "kind": DiscountKind.PERCENT, "percent": Decimal("10"), **terms}
    )


def book_with_code(session, discount_code: str, email: str = "alice@client.test") -> Booking:
    """The booking form's order: the booking, its discount, then the online payment, in one transaction."""
    with transaction.atomic():
        booking = book_class_seat(
            session=session,
            details=ClientDetails(email=email, first_name=email.split("@")[0].title()),
            hold_until=hold_for(session.service),
        )
        redeem_discount(code=discount_code, bookings=[booking])
        start_payment(booking=booking, provider_name="test")
    booking.refresh_from_db()
    return booking


def refusal(session, discount_code: str, email: str = "alice@client.test") -> str:
    """The message a refused code shows next to the form's field."""
    with pytest.raises(DiscountRefused) as refused:
        book_with_code(session, discount_code, email)
    assert refused.value.field == "discount_code"
    return str(refused.value.message)
