"""Paying online: the page that sends the client to the provider and tells what happened, the
embedded test provider's page, and the providers' webhook endpoint.

A payment is found by its random token (``Payment.token``): an unknown one is a 404. The
webhook verifies the provider's signature before reading anything (400 otherwise) and hands
the event to ``services.payments.process_provider_event``, which processes each event once.
"""

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...display.client_zone import client_time_zone
from ...models import Booking, BookingStatus, Business, Payment, PaymentStatus, TestCard
from ...payments import BadSignature, MalformedEvent, ProviderError, provider
from ...payments.testing import SIGNATURE_HEADER, event_body, sign
from ...plug_ins.payment_purposes import purpose_of, saves_card
from ...services import payments as payment_services
from ...web import links
from ...web.checkout import redirect_to_checkout
from ...web.links import absolute_url

log = logging.getLogger("rendez.payments")

TEST_ACTIONS = {"pay": "payment.succeeded", "decline": "payment.failed", "abandon": "payment.abandoned"}
MAX_WEBHOOK_BYTES = 256 * 1024


def _get_payment_for_client(token: str) -> Payment:
    """The payment behind a pay link; 404 for an unknown token."""
    payment = (
        Payment.objects.select_related("booking__service", "booking__session__staff", "booking__client")
        .filter(token=token[:64])
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def confirmation_url(booking: Booking) -> str:
    return reverse("public:confirmation", args=[links.manage_token(booking)])


def checkout_for(request: HttpRequest, booking: Booking) -> HttpResponse:
    """After the booking form: the held booking's open payment, at the provider (a gift card
    that paid everything confirmed it already: its confirmation)."""
    payment = booking.payments.filter(status=PaymentStatus.PENDING).first()
    if payment is None:  # nothing left to pay online, or the same form sent after the payment closed
        payment = booking.payments.order_by("-pk").first()
        target = reverse("payments:pay", args=[payment.token]) if payment else confirmation_url(booking)
        response = redirect(target)
        response.status_code = 303
        return response
    return send_to_checkout(request, payment)


def pay_at_top(request: HttpRequest, booking: Booking) -> HttpResponse:
    """In the embedded flow: a link that opens the pay page in the whole window, since neither
    the test page nor Stripe Checkout may run inside someone else's frame."""
    payment = booking.payments.order_by("-pk").first()
    target = reverse("payments:pay", args=[payment.token]) if payment else confirmation_url(booking)
    context = {"booking": booking, "business": Business.current(), "pay_url": absolute_url(target)}
    return render(request, "public/embed_pay.html", context)


def send_to_checkout(request: HttpRequest, payment: Payment) -> HttpResponse:
    """Open the provider's checkout for ``payment`` and go there; a refusal is shown on the pay page."""
    return redirect_to_checkout(
        payment,
        return_page=reverse("payments:pay", args=[payment.token]),
        refused=lambda message: _pay_page(request, payment, error=message, status=502),
    )


def _pay_page(request: HttpRequest, payment: Payment, *, error: str = "", status: int = 200) -> HttpResponse:
    payment.refresh_from_db()
    booking = Booking.objects.select_related("service", "session__staff", "client").get(pk=payment.booking_id)
    business = Business.current()
    context = {
        "business": business,
        "tz": client_time_zone(request, business),
        "visits": [booking.session],
        "payment": payment,
        "booking": booking,
        "error": error,
        "held": booking.status == BookingStatus.AWAITING_PAYMENT,
        "returned": "returned" in request.GET,
    }
    return render(request, "public/payments/pay.html", context, status=status)


@require_GET
def pay(request: HttpRequest, token: str) -> HttpResponse:
    """Where the client lands from the booking form and comes back from the provider."""
    payment = _get_payment_for_client(token)
    booking = payment.booking
    if booking is None:  # an order's payment: its own page tells what happened
        return _to_purpose_page(payment)
    if booking.status == BookingStatus.CONFIRMED:  # paid (by this payment or another): its confirmation
        response = redirect(confirmation_url(booking))
        response.status_code = 303
        return response
    return _pay_page(request, payment)


@require_POST
def go_to_checkout(request: HttpRequest, token: str) -> HttpResponse:
    """ "Pay now" / "Try again": the open payment's checkout, or a new payment after a decline."""
    payment = _get_payment_for_client(token)
    if payment.booking_id is None:
        return _to_purpose_page(payment)
    if payment.status != PaymentStatus.PENDING:
        try:
            payment = payment_services.retry_payment(
                booking=payment.booking, provider_name=settings.PAYMENT_PROVIDER
            )
        except payment_services.PaymentError as error:
            return _pay_page(request, payment, error=error.message, status=409)
    return send_to_checkout(request, payment)


def _to_purpose_page(payment: Payment) -> HttpResponse:
    purpose = purpose_of(payment)
    if purpose is None:
        raise Http404
    response = redirect(purpose.return_url(payment))
    response.status_code = 303
    return response


def _get_test_payment(token: str) -> Payment:
    """Only while the test provider is the one configured, and only for its own payments."""
    if settings.PAYMENT_PROVIDER != "test":
        raise Http404
    payment = _get_payment_for_client(token)
    if payment.provider != "test":
        raise Http404
    return payment


@require_http_methods(["GET", "POST"])
def test_checkout(request: HttpRequest, token: str) -> HttpResponse:
    """The test provider's page: Pay, Decline or Abandon; no money moves. A checkout that keeps
    the card (a membership's first month) also asks how the saved card answers the renewals.

    Each button sends the signed event a provider would send through the webhook's own
    verification and processing, then returns to the pay page as a provider's redirect would."""
    payment = _get_test_payment(token)
    keeps_card = saves_card(payment)
    if request.method == "POST":
        kind = TEST_ACTIONS.get(request.POST.get("action", ""))
        saved_card = request.POST.get("saved_card", "") if keeps_card else ""
        if kind is None or (keeps_card and saved_card not in TestCard.values):
            return HttpResponseBadRequest("Unknown action or saved card.")
        if _provider_would_take(payment, kind):
            body = event_body(
                kind=kind,
                reference=payment.provider_reference,
                amount=payment.amount,
                currency=payment.currency,
                saved_card=saved_card if kind == TEST_ACTIONS["pay"] else "",
            )
            _handle_event("test", body, {SIGNATURE_HEADER: sign(body)})
        response = redirect(reverse("payments:pay", args=[payment.token]) + "?returned=1")
        response.status_code = 303
        return response
    purpose = purpose_of(payment) if payment.booking_id is None else None
    context = {
        "business": Business.current(),
        "payment": payment,
        "booking": payment.booking,
        "what": purpose.describe(payment)[0] if purpose else "",
        "test_cards": TestCard.choices if keeps_card else [],
    }
    return render(request, "public/payments/test_checkout.html", context)


def _provider_would_take(payment: Payment, kind: str) -> bool:
    """A provider's checkout page stays open after the hold ran out or the client left it (Stripe's
    lasts at least 30 minutes): paying there is a late payment, which the webhook handles. Declining
    or leaving a payment that is no longer open changes nothing."""
    if payment.status == PaymentStatus.PENDING:
        return True
    return kind == TEST_ACTIONS["pay"] and payment.status == PaymentStatus.ABANDONED


def _handle_event(provider_name: str, body: bytes, headers) -> HttpResponse:
    adapter = provider(provider_name)
    try:
        event = adapter.parse_webhook(body, headers)
    except BadSignature:
        log.warning("payment webhook %s: bad signature", provider_name)
        return HttpResponseBadRequest("Bad signature.")
    except MalformedEvent:
        log.warning("payment webhook %s: unreadable event", provider_name)
        return HttpResponseBadRequest("Unreadable event.")
    except ProviderError:  # the event needs the provider read back (a saved card): it will send it again
        log.warning("payment webhook %s: the provider could not be read back", provider_name)
        return HttpResponse("Try again later.", status=503)
    outcome = payment_services.process_provider_event(event)
    return JsonResponse({"outcome": outcome.code})


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider_name: str) -> HttpResponse:
    """``POST /pay/webhook/<provider>/``: only the configured provider's (404 for any other)."""
    if provider_name != settings.PAYMENT_PROVIDER:
        raise Http404
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return HttpResponseBadRequest("Too large.")
    return _handle_event(provider_name, request.body, request.headers)
