"""The public gift card page: anyone, signed in or not, buys a card and pays for it online.

``buy`` takes the order and sends the buyer to the provider's checkout; the provider brings
them back to ``order`` (by the order's random token: 404 for an unknown one), which tells what
became of the payment and offers to try again. The card itself is issued by the payment's
webhook (``services.gift_card_orders.fulfil_gift_card_order``), whatever the browser does.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bookings_app.display.client_zone import client_time_zone
from bookings_app.models import Business, Payment
from bookings_app.web.checkout import redirect_to_checkout

from ..errors import GiftCardSalesClosed, OrderRefused
from ..forms_gift_shop import GiftCardPurchaseForm
from ..models import GIFT_CARD_ORDER, GiftCardOrder, GiftCardOrderStatus, GiftCardProduct, Program
from ..services import Gift, pay_order_again, place_gift_card_order


def _get_program_selling() -> Program:
    """The program while gift cards are sold online; 404 otherwise."""
    program = Program.current()
    if not program.sells_online:
        raise Http404
    return program


def _get_order_for_buyer(token: str) -> GiftCardOrder:
    """The order behind a buyer's link; 404 for an unknown token."""
    order = (
        GiftCardOrder.objects.select_related("product", "buyer", "gift_card", "payment")
        .filter(token=token[:64])
        .first()
    )
    if order is None:
        raise Http404
    return order


def _latest_payment(order: GiftCardOrder) -> Payment | None:
    return Payment.objects.filter(purpose=GIFT_CARD_ORDER, purpose_key=order.token).order_by("-pk").first()


def order_page_for_payment(payment: Payment) -> str:
    """Where the provider sends the buyer back (the payment purpose's ``return_url``)."""
    return reverse("gift_shop:order", args=[payment.purpose_key])


def describe_order_payment(payment: Payment) -> tuple[str, str]:
    """(what is bought, the buyer's e-mail) for the provider's page."""
    order = GiftCardOrder.objects.select_related("buyer").filter(token=payment.purpose_key).first()
    business = Business.current()
    what = _("Gift card, %(business)s") % {"business": business.name}
    return what, order.buyer.email if order else ""


def _send_to_checkout(request: HttpRequest, order: GiftCardOrder, payment: Payment) -> HttpResponse:
    return redirect_to_checkout(
        payment,
        return_page=reverse("gift_shop:order", args=[order.token]),
        refused=lambda message: _order_page(request, order, error=message, status=502),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def buy(request: HttpRequest) -> HttpResponse:
    """The gift cards on sale, or an amount of one's choice; for oneself or as a gift."""
    program = _get_program_selling()
    business = Business.current()
    tz = client_time_zone(request, business)
    today = timezone.localtime(timezone.now(), business.tz).date()
    products = list(
        GiftCardProduct.objects.filter(is_active=True, sold_for_money=True).order_by("value", "pk")
    )
    form = GiftCardPurchaseForm(
        request.POST if request.method == "POST" else None,
        program=program,
        products=products,
        today=today,
        currency=business.currency.upper(),
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        gift = None
        if form.is_gift:
            gift = Gift(
                recipient_name=data["recipient_name"],
                recipient_email=data["recipient_email"],
                message=data["message"],
                deliver_on=data["deliver_on"],
            )
        try:
            order = place_gift_card_order(
                buyer=form.buyer(language=get_language(), time_zone=tz.key),
                product=form.chosen_product,
                amount=form.chosen_amount,
                gift=gift,
                provider_name=settings.PAYMENT_PROVIDER,
            )
        except OrderRefused as refusal:
            field = refusal.field if refusal.field in form.fields else None
            form.add_error("card" if field == "product" else field, str(refusal.message))
        except GiftCardSalesClosed as refusal:
            error = refusal.message
        else:
            return _send_to_checkout(request, order, _latest_payment(order))
    context = {"business": business, "form": form, "program": program, "error": error, "products": products}
    status = 400 if request.method == "POST" else 200
    return render(request, "loyalty/public/buy.html", context, status=status)


def _order_page(
    request: HttpRequest, order: GiftCardOrder, *, error: str = "", status: int = 200
) -> HttpResponse:
    order.refresh_from_db()
    payment = _latest_payment(order)
    context = {
        "business": Business.current(),
        "order": order,
        "payment": payment,
        "error": error,
        "paid": order.status == GiftCardOrderStatus.PAID,
        "returned": "returned" in request.GET,
    }
    return render(request, "loyalty/public/order.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def order(request: HttpRequest, token: str) -> HttpResponse:
    """What became of the order: waiting, declined (try again) or paid."""
    return _order_page(request, _get_order_for_buyer(token))


@require_POST
def pay(request: HttpRequest, token: str) -> HttpResponse:
    """ "Pay now" / "Try again": the order's open payment, or a new one after a decline."""
    order = _get_order_for_buyer(token)
    try:
        payment = pay_order_again(order=order, provider_name=settings.PAYMENT_PROVIDER)
    except OrderRefused as refusal:
        return _order_page(request, order, error=refusal.message, status=409)
    return _send_to_checkout(request, order, payment)
