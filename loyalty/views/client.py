"""A signed-in client's loyalty pages: "My points", and gift cards to buy with points or download.

Everything here is the signed-in client's own: their balance, their history, their cards.
Every page is a 404 while the program is off.
"""

import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bookings_app.models import Business, Client
from bookings_app.selectors import client_of

from .. import selectors
from ..errors import LoyaltyError
from ..models import GiftCard, GiftCardProduct, LedgerEntry
from ..pdf import gift_card_pdf as render_pdf
from ..services import buy_gift_card_with_points

HISTORY_PAGE_SIZE = 20
CARDS_PAGE_SIZE = 20
REQUEST_KEY = re.compile(r"^[0-9a-f]{32}$")


def program_is_on(request: HttpRequest) -> bool:
    """Read once per request: the header asks for each of its links."""
    if not hasattr(request, "_loyalty_program_on"):
        request._loyalty_program_on = selectors.program_on()
    return request._loyalty_program_on


def _get_client_for_user(user) -> Client | None:
    """The client behind a signed-in account; None for an account that never booked."""
    return client_of(user)


def _get_gift_card_for_client(client: Client | None, pk: int) -> GiftCard:
    """One of the client's own cards; 404 for anyone else's."""
    if client is None:
        raise Http404
    return get_object_or_404(GiftCard, pk=pk, owner=client)


def client_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in clients only (others go to the sign-in page), never cached, 404 while the program is off."""

    @never_cache
    @login_required(login_url="account_request_login_code")
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not program_is_on(request):
            raise Http404("The loyalty program is off.")
        return view(request, _get_client_for_user(request.user), *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, items, size: int) -> Page:
    page = Paginator(items, size).get_page(request.GET.get("page"))
    page.previous_url = f"?page={page.previous_page_number()}" if page.has_previous() else ""
    page.next_url = f"?page={page.next_page_number()}" if page.has_next() else ""
    return page


@client_page
@require_GET
def my_points(request: HttpRequest, client: Client | None) -> HttpResponse:
    history = selectors.client_history(client) if client else LedgerEntry.objects.none()
    return render(
        request,
        "loyalty/client/my_points.html",
        {
            "business": Business.current(),
            "client": client,
            "balance": selectors.balance_of(client) if client else 0,
            "history": _page(request, history, HISTORY_PAGE_SIZE),
        },
    )


@client_page
@require_GET
def gift_cards(request: HttpRequest, client: Client | None) -> HttpResponse:
    """Products to buy with points (each form with its own idempotency key) and the client's cards."""
    balance = selectors.balance_of(client) if client else 0
    products = selectors.products_for_points()
    for product in products:
        product.affordable = client is not None and balance >= product.points_price
        product.points_missing = max(product.points_price - balance, 0)
        product.request_key = uuid.uuid4().hex
    business = Business.current()
    owned = selectors.gift_cards_of(client) if client else GiftCard.objects.none()
    cards = _page(request, owned, CARDS_PAGE_SIZE)
    cards.object_list = list(cards.object_list)
    for card in cards.object_list:
        card.valid_until = card.last_valid_day((client.tz if client else None) or business.tz)
    return render(
        request,
        "loyalty/client/gift_cards.html",
        {
            "business": business,
            "client": client,
            "balance": balance,
            "products": products,
            "cards": cards,
        },
    )


@client_page
@require_POST
def buy_gift_card(request: HttpRequest, client: Client | None, product_id: int) -> HttpResponse:
    """ "Select with points": a repeated click (same ``request_key``) returns the card bought first."""
    if client is None:
        raise Http404
    product = get_object_or_404(GiftCardProduct, pk=product_id)
    request_key = request.POST.get("request_key", "")
    if not REQUEST_KEY.match(request_key):
        messages.error(request, _("The form has expired. Please try again."))
        return _back_to_gift_cards()
    try:
        card = buy_gift_card_with_points(client=client, product=product, request_key=request_key)
    except LoyaltyError as error:
        messages.error(request, error.message)
        return _back_to_gift_cards()
    messages.success(
        request,
        _("Your gift card %(code)s is ready. We have e-mailed it to you with a printable PDF.")
        % {"code": card.display_code},
    )
    return _back_to_gift_cards()


def _back_to_gift_cards() -> HttpResponse:
    response = HttpResponseRedirect(reverse("loyalty:gift_cards") + "#your-cards")
    response.status_code = 303  # See Other: the page is fetched with GET after the POST
    return response


@client_page
@require_GET
def gift_card_pdf(request: HttpRequest, client: Client | None, pk: int) -> HttpResponse:
    card = _get_gift_card_for_client(client, pk)
    response = HttpResponse(render_pdf(card), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gift-card-{card.code[-4:]}.pdf"'
    return response
