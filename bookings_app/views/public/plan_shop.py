"""The public plan pages: the packs and memberships on sale, buying one online, and the order's page.

``buy`` needs a signed-in client (clients sign in by e-mailed code; a visitor is sent to sign in
and brought back). It takes the order and sends the client to the provider's checkout; the
provider brings them back to ``order`` (by the order's random token: 404 for an unknown one).
The pack or membership itself is made by the payment's webhook
(``services.plan_purchases.fulfil_plan_order``), whatever the browser does.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import selectors
from ...forms.plan_shop import BuyPlanForm, PlanSearchForm, safe_next
from ...models import Business, Payment, Plan, PlanOrder, PlanOrderStatus
from ...services.plan_purchases import PlanOrderRefused, pay_plan_order_again, place_plan_order
from ...web.checkout import redirect_to_checkout

PLANS_PER_PAGE = 20


def _get_plan_on_sale(pk: int) -> Plan:
    """A plan a client may buy online; 404 for an archived, free or unknown one."""
    plan = selectors.plan_on_sale(pk)
    if plan is None:
        raise Http404
    return plan


def _get_order_for_buyer(token: str) -> PlanOrder:
    """The order behind the buyer's link; 404 for an unknown token."""
    order = selectors.plan_order_by_token(token)
    if order is None:
        raise Http404
    return order


def buy_url(plan: Plan, next_page: str = "") -> str:
    """The page that buys ``plan``, coming back to ``next_page`` (a local path) once paid."""
    url = reverse("public:plan_buy", args=[plan.pk])
    return f"{url}?{urlencode({'next': next_page})}" if next_page else url


def order_page_for_payment(payment: Payment) -> str:
    """Where the provider sends the buyer back (the payment purpose's ``return_url``)."""
    return reverse("public:plan_order", args=[payment.purpose_key])


def describe_order_payment(payment: Payment) -> tuple[str, str]:
    """(what is bought, the buyer's e-mail) for the provider's page."""
    order = PlanOrder.objects.select_related("plan", "client").filter(token=payment.purpose_key).first()
    if order is None:
        return _("Plan, %(business)s") % {"business": Business.current().name}, ""
    return f"{order.plan.name}, {Business.current().name}", order.client.email


@never_cache
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    """The packs and memberships on sale, searchable, cheapest first."""
    search = PlanSearchForm(request.GET or None)
    next_page = safe_next(request.GET.get("next"))
    page = Paginator(selectors.plans_on_sale_with_services(query=search.query()), PLANS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    for plan in page.object_list:
        plan.buy_url = buy_url(plan, next_page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "business": Business.current(),
        "search": search,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "public/plans/shop.html", context, status=400 if search.errors else 200)


def _send_to_checkout(request: HttpRequest, order: PlanOrder, payment: Payment) -> HttpResponse:
    return redirect_to_checkout(
        payment,
        return_page=reverse("public:plan_order", args=[order.token]),
        refused=lambda message: _order_page(request, order, error=message, status=502),
    )


@never_cache
@login_required(login_url="account_request_login_code")
@require_http_methods(["GET", "POST"])
def buy(request: HttpRequest, pk: int) -> HttpResponse:
    """What the plan gives and costs, and "Pay": the order, then the provider's checkout."""
    plan = _get_plan_on_sale(pk)
    client = selectors.client_of(request.user)
    form = BuyPlanForm(request.POST if request.method == "POST" else {"next": request.GET.get("next", "")})
    form.is_valid()
    context = {"business": Business.current(), "plan": plan, "form": form, "client": client, "error": ""}
    if client is None:
        context["error"] = _("Plans are bought with a client account: sign in with the e-mail you book with.")
        return render(request, "public/plans/buy.html", context, status=403)
    if request.method != "POST":
        return render(request, "public/plans/buy.html", context)
    try:
        order = place_plan_order(
            plan=plan,
            client=client,
            provider_name=settings.PAYMENT_PROVIDER,
            language=get_language(),
            return_to=form.cleaned_data.get("next", ""),
        )
    except PlanOrderRefused as refusal:
        context["error"] = refusal.message
        return render(request, "public/plans/buy.html", context, status=409)
    return _send_to_checkout(request, order, selectors.latest_payment_of(order))


def _order_page(
    request: HttpRequest, order: PlanOrder, *, error: str = "", status: int = 200
) -> HttpResponse:
    order.refresh_from_db()
    context = {
        "business": Business.current(),
        "order": order,
        "payment": selectors.latest_payment_of(order),
        "error": error,
        "paid": order.status == PlanOrderStatus.PAID,
        "refused": order.status == PlanOrderStatus.REFUSED,
        "returned": "returned" in request.GET,
    }
    return render(request, "public/plans/order.html", context, status=status)


@never_cache
@require_GET
def order(request: HttpRequest, token: str) -> HttpResponse:
    """What became of the order: waiting, declined (try again), paid or refused."""
    return _order_page(request, _get_order_for_buyer(token))


@require_POST
def pay(request: HttpRequest, token: str) -> HttpResponse:
    """ "Pay now" / "Try again": the order's open payment, or a new one after a decline."""
    order = _get_order_for_buyer(token)
    try:
        payment = pay_plan_order_again(order=order, provider_name=settings.PAYMENT_PROVIDER)
    except PlanOrderRefused as refusal:
        return _order_page(request, order, error=refusal.message, status=409)
    return _send_to_checkout(request, order, payment)


def plans_to_offer(request: HttpRequest, service) -> list[Plan]:
    """The packs on sale that pay for ``service``, each linking to its purchase and back to this
    booking form: offered on the form to a client with no pack that fits."""
    offered = selectors.plans_on_sale_for(service)
    for plan in offered:
        plan.buy_url = buy_url(plan, safe_next(request.get_full_path()))
    return offered
