"""Paying online at checkout: a registry of payment steps that other apps fill in.

bookings_app knows nothing of gift cards. An app that takes a payment at checkout (loyalty)
registers a step from its ``AppConfig.ready()``::

    register_payment_step("gift_card", fields=gift_card_fields, pay=pay_with_gift_card)

``fields(request)`` returns the form fields the step adds to the booking form ({} to add
none, e.g. while the program is off). ``pay(request, data, bookings)`` runs inside the
transaction that made ``bookings``; it raises ``PaymentRefused`` to roll everything back,
so a refused payment books nothing. Services that need approval take no online payment:
their form shows no payment field and a forged one is refused.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest

from ..core.errors import OnlinePaymentNotOffered
from ..models import Booking

Fields = Callable[[HttpRequest], dict[str, forms.Field]]
Pay = Callable[[HttpRequest, dict, list[Booking]], None]


@dataclass(frozen=True)
class PaymentStep:
    key: str
    fields: Fields
    pay: Pay


_steps: dict[str, PaymentStep] = {}


def register_payment_step(key: str, *, fields: Fields, pay: Pay) -> PaymentStep:
    """Add (or replace, by ``key``) a way to pay at checkout."""
    step = PaymentStep(key, fields, pay)
    _steps[key] = step
    return step


def _ordered() -> list[PaymentStep]:
    return [_steps[key] for key in sorted(_steps)]


def add_payment_fields(form: forms.Form, request: HttpRequest) -> None:
    for step in _ordered():
        form.fields.update(step.fields(request))


def refuse_forged_payment(request: HttpRequest) -> None:
    """For a booking that takes no online payment: raise when the POST carries a payment anyway."""
    for step in _ordered():
        if any(request.POST.get(name, "").strip() for name in step.fields(request)):
            raise OnlinePaymentNotOffered()


def pay(request: HttpRequest, data: dict, bookings: list[Booking]) -> None:
    """Run every step on the new ``bookings``; call inside the booking's transaction."""
    for step in _ordered():
        step.pay(request, data, bookings)
