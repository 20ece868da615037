"""Sending a payer to the provider's checkout: one way for a booking's payment and every order's."""

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import redirect

from ..models import Payment
from ..services import payments as payment_services
from .links import absolute_url


def redirect_to_checkout(
    payment: Payment, *, return_page: str, refused: Callable[[str], HttpResponse]
) -> HttpResponse:
    """Open the provider's checkout for ``payment`` and go there (303); the provider brings the
    payer back to ``return_page`` (a path) with ``?returned=1`` or ``?cancelled=1``. A provider
    that refuses answers ``refused(its message)``, the caller's page with the error."""
    page = absolute_url(return_page)
    try:
        url = payment_services.open_checkout(
            payment=payment, success_url=f"{page}?returned=1", cancel_url=f"{page}?cancelled=1"
        )
    except payment_services.PaymentError as error:
        return refused(error.message)
    response = redirect(url)
    response.status_code = 303
    return response
