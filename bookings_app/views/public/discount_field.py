"""The booking form's optional "Discount code" field, and its use before any payment step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ...models import Booking, DiscountCode, Service, ServiceKind
from ...services.discounts import FIELD as DISCOUNT_FIELD
from ...services.discounts import redeem_discount

__all__ = ["DISCOUNT_FIELD", "discount_code_field", "offers_discount_codes", "with_discount"]


def offers_discount_codes(service: Service) -> bool:
    """A priced appointment or class, while the owner has a code that is not archived."""
    return (
        service.kind != ServiceKind.COURSE
        and service.price > 0
        and DiscountCode.objects.filter(archived_at__isnull=True).exists()
    )


def discount_code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Discount code"),
        required=False,
        max_length=32,
        help_text=_("Its discount comes off the price before anything is paid."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "dir": "ltr"}
        ),
    )


def with_discount(booked: Booking | list[Booking], code: str | None) -> Booking | list[Booking]:
    """Inside the booking's transaction: take the code off the price, or raise DiscountRefused."""
    if code and code.strip():
        redeem_discount(code=code, bookings=booked if isinstance(booked, list) else [booked])
    return booked
