"""What a service asks online, for the booking form's note: ``{{ service|online_share }}``."""

from decimal import Decimal

from django import template

from ..plug_ins.payment_purposes import purpose_label
from ..services.payments import deposit_for, refund_if_client_cancels

register = template.Library()


@register.filter
def online_share(service) -> Decimal:
    """The amount paid online for one booking of ``service`` at its price (before any gift card)."""
    if service.payment_policy == "deposit":
        return deposit_for(service, service.price)
    if service.payment_policy == "full":
        return service.price
    return Decimal("0.00")


@register.simple_tag
def cancellation_refund(booking) -> dict:
    """``{% cancellation_refund booking as refund %}``: ``refund.paid`` online, ``refund.given`` back."""
    paid, given = refund_if_client_cancels(booking)
    return {"paid": paid, "given": given}


@register.filter
def sale_label(payment) -> str:
    """What a payment that is not a booking's bought ("Gift card"), for the payments list."""
    return purpose_label(payment.purpose)
