"""Gift card products (list, create, edit), cards issued by hand, and the gift cards report."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings_app.models import Business, PaymentRefund
from bookings_app.services import payments as payment_services
from bookings_app.web.pages import render_page
from bookings_app.web.refund_outcome import tell_refund_outcome

from .. import services
from ..errors import LoyaltyError
from ..forms_dashboard import GiftCardFilterForm, GiftCardProductForm, IssueGiftCardForm
from ..models import GiftCardOrder, GiftCardProduct
from ..selectors import gift_card_totals, gift_cards_report, products_for_list
from ..services.gift_card_refunds import refund_sold_gift_card
from .dashboard import owner_with_program_on

PER_PAGE = 25
GIFT_CARDS = "loyalty/dashboard/gift_cards.html"
PRODUCTS = "loyalty/dashboard/products.html"


def _get_product_for_owner(pk: int) -> GiftCardProduct:
    return get_object_or_404(GiftCardProduct, pk=pk)


def _get_order_for_owner(pk: int) -> GiftCardOrder:
    return get_object_or_404(GiftCardOrder, pk=pk)


def _get_sale_refund_for_owner(pk: int) -> PaymentRefund:
    """A refund of a sold gift card's payment (a booking's is retried from its page)."""
    return get_object_or_404(
        PaymentRefund.objects.select_related("payment"),
        pk=pk,
        payment__booking__isnull=True,
        payment__purpose="gift_card_order",
    )


def _told(request: HttpRequest, refund: PaymentRefund) -> None:
    tell_refund_outcome(
        request, refund, succeeded=_("The gift card is refunded to its buyer and can no longer be used.")
    )


@owner_with_program_on
@require_GET
def products(request: HttpRequest) -> HttpResponse:
    """The gift cards on offer, searchable by name."""
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(products_for_list(search), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "business": Business.current()}
    return render_page(request, PRODUCTS, context, fragment="table")


@owner_with_program_on
@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest) -> HttpResponse:
    return _product_form(request, product=None)


@owner_with_program_on
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_form(request, product=_get_product_for_owner(pk))


def _product_form(request: HttpRequest, *, product: GiftCardProduct | None) -> HttpResponse:
    initial = GiftCardProductForm.initial_for(product) if product else None
    posted = request.POST if request.method == "POST" else None
    form = GiftCardProductForm(posted, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {key: value for key, value in form.cleaned_data.items() if key != "sold_for_points"}
        try:
            saved = services.save_gift_card_product(product=product, **fields)
        except LoyaltyError as e:
            form.add_error("points_price" if fields["points_price"] is not None else None, e.message)
        else:
            messages.success(request, _("Gift card “%(name)s” saved.") % {"name": saved.name})
            return redirect("loyalty_dashboard:products")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "product": product, "business": Business.current()}
    return render(request, "loyalty/dashboard/product_form.html", context, status=status)


@owner_with_program_on
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest) -> HttpResponse:
    """Issue a card by hand to a client or an e-mail address; it is e-mailed with its PDF."""
    posted = request.POST if request.method == "POST" else None
    form = IssueGiftCardForm(posted, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        try:
            card = services.issue_gift_card_by_hand(by=request.user, **form.cleaned_data)
        except LoyaltyError as e:
            form.add_error("value", e.message)
        else:
            messages.success(
                request,
                _("Gift card …%(code)s issued to %(client)s and sent by e-mail.")
                % {
                    "code": card.code[-4:],
                    "client": card.owner,
                },
            )
            return redirect("loyalty_dashboard:gift_cards")
    status = 400 if request.method == "POST" else 200
    chosen = form.cleaned_data.get("client") if form.is_bound else None
    context = {"form": form, "chosen_client": chosen, "business": Business.current()}
    return render(request, "loyalty/dashboard/issue.html", context, status=status)


@owner_with_program_on
@require_GET
def gift_cards(request: HttpRequest) -> HttpResponse:
    """Every card issued, with totals: issued, spent, still to be spent; searched and filtered."""
    filter_form = GiftCardFilterForm(request.GET)
    filter_form.is_valid()
    wanted = filter_form.cleaned_data
    cards = gift_cards_report(search=wanted.get("q") or "", state=wanted.get("state") or "")
    page = Paginator(cards, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter_form": filter_form,
        "page": page,
        "totals": gift_card_totals(),
        "business": Business.current(),
    }
    return render_page(request, GIFT_CARDS, context, fragment="table")


@owner_with_program_on
@require_POST
def refund_sale(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a sold, unused card's price back to its buyer (through the provider) and void it."""
    order = _get_order_for_owner(pk)
    try:
        asked = refund_sold_gift_card(order=order, by=request.user)
    except LoyaltyError as error:
        messages.error(request, error.message)
    else:
        _told(request, payment_services.send_refund(refund_id=asked.pk))
    return redirect("loyalty_dashboard:gift_cards")


@owner_with_program_on
@require_POST
def retry_sale_refund(request: HttpRequest, pk: int) -> HttpResponse:
    refund = _get_sale_refund_for_owner(pk)
    try:
        refund = payment_services.retry_refund(refund=refund)
    except payment_services.PaymentError as error:
        messages.error(request, error.message)
    else:
        _told(request, refund)
    return redirect("loyalty_dashboard:gift_cards")
