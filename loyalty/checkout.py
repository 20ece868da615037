"""Loyalty's plug into checkout (``bookings_app.plug_ins.checkout``): the "Gift card code" field, and the
card paying the bookings inside their transaction. A refusal rolls the booking back."""

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bookings_app.core.errors import PaymentRefused
from bookings_app.models import Booking

from . import attempts
from .errors import GiftCardNotFound, LoyaltyError
from .models import Program
from .services import pay_at_checkout

FIELD = "gift_card_code"


def gift_card_fields(request: HttpRequest) -> dict[str, forms.Field]:
    """The optional code field, while the program is on."""
    if not Program.current().is_enabled:
        return {}
    return {
        FIELD: forms.CharField(
            label=_("Gift card code"),
            required=False,
            max_length=40,
            help_text=_("It pays for this booking in full or in part; the rest is paid in person."),
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "autocapitalize": "characters",
                    "spellcheck": "false",
                    "dir": "ltr",
                    "placeholder": "XXXX-XXXX-XXXX-XXXX",
                }
            ),
        )
    }


def pay_with_gift_card(request: HttpRequest, data: dict, bookings: list[Booking]) -> None:
    code = (data.get(FIELD) or "").strip()
    if not code or not bookings:
        return
    client = bookings[0].client
    if attempts.is_blocked(request, client):
        raise PaymentRefused(attempts.BLOCKED_MESSAGE, field=FIELD, status=429)
    try:
        pay_at_checkout(code=code, bookings=bookings)
    except GiftCardNotFound as error:  # only a code that does not exist is a guess
        attempts.count_unknown_code(request, client)
        raise PaymentRefused(error.message, field=FIELD) from error
    except LoyaltyError as error:
        raise PaymentRefused(error.message, field=FIELD) from error
