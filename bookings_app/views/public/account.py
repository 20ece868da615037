"""A signed-in client's own pages. Clients sign in by e-mailed code (see ``bookings_app.web.accounts``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ...display.client_zone import client_time_zone
from ...models import Business, Client, FeedKind
from ...selectors import (
    client_of,
    client_plans_of,
    live_entries_of,
    live_feed_of,
    own_past_bookings,
    own_upcoming_bookings,
    plans_on_sale,
)
from ...services.calendar_feeds import ensure_feed, renew_feed
from ...web import links
from .my_memberships import describe_membership

BOOKINGS_PER_PAGE = 20
MY_PLANS_SHOWN = 20


def _get_client_for_user(user) -> Client | None:
    """The client behind a signed-in account; None for an account that never booked."""
    return client_of(user)


def _page(request: HttpRequest, bookings: QuerySet, name: str) -> Page:
    """One page of ``bookings``, its number read from the ``name`` query parameter, with manage links
    and the addresses of its neighbours (the other list keeps its page)."""
    page = Paginator(bookings, BOOKINGS_PER_PAGE).get_page(request.GET.get(name))
    page.object_list = list(page.object_list)
    for booking in page.object_list:
        booking.manage_path = links.manage_path(booking)
    page.previous_url = _page_url(request, name, page.previous_page_number()) if page.has_previous() else ""
    page.next_url = _page_url(request, name, page.next_page_number()) if page.has_next() else ""
    return page


def _page_url(request: HttpRequest, name: str, number: int) -> str:
    query = request.GET.copy()
    query[name] = str(number)
    return f"?{query.urlencode()}"


def _my_plans(client: Client) -> list:
    """The client's packs, live ones first: credits left and when each ends."""
    now = timezone.now()
    packs = list(client_plans_of(client)[:MY_PLANS_SHOWN])
    prefetch_related_objects([pack for pack in packs if pack.plan.is_membership], "freezes")
    for pack in packs:
        pack.is_over = bool(pack.valid_until and pack.valid_until <= now or pack.refund_asked_at)
        if pack.plan.is_membership:
            describe_membership(pack, now)
    ended = {
        pack.plan_id
        for pack in packs
        if not pack.plan.is_membership and (pack.is_over or not pack.credits_left)
    }
    if ended:  # "Buy again" for the ended packs still on sale
        on_sale = set(plans_on_sale().filter(pk__in=ended, one_per_client=False).values_list("pk", flat=True))
        for pack in packs:
            if pack.plan_id in on_sale and (pack.is_over or not pack.credits_left):
                pack.buy_again_url = reverse("public:plan_buy", args=[pack.plan_id])
    return sorted(packs, key=lambda pack: (pack.is_over or not pack.credits_left, -pack.pk))


@never_cache
@login_required(login_url="account_request_login_code")
def my_bookings(request: HttpRequest) -> HttpResponse:
    """Only ever the signed-in client's own bookings: upcoming first, then past and cancelled."""
    business = Business.current()
    client = _get_client_for_user(request.user)
    if client is None:
        return render(request, "public/my_bookings.html", {"business": business, "client": None})
    return render(
        request,
        "public/my_bookings.html",
        {
            "business": business,
            "client": client,
            "time_zone": client_time_zone(request, business, client.tz),
            "upcoming": _page(request, own_upcoming_bookings(client), "upcoming"),
            "past": _page(request, own_past_bookings(client), "past"),
            "feed_address": links.feed_url(live_feed_of(client=client)),
            "waitlist": [(entry, links.waitlist_path(entry)) for entry in live_entries_of(client)],
            "my_plans": _my_plans(client),
        },
    )


@never_cache
@login_required(login_url="account_request_login_code")
@require_POST
def my_calendar_feed(request: HttpRequest) -> HttpResponse:
    """Make the client's own calendar address (``action=make``), or a new one in place of it
    (``action=renew``: the old address answers 404 from now on)."""
    client = _get_client_for_user(request.user)
    if client is None:
        raise Http404
    feed = live_feed_of(client=client)
    if request.POST.get("action") == "renew" and feed is not None:
        renew_feed(feed=feed)
        messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    else:
        ensure_feed(kind=FeedKind.CLIENT, client=client)
    return redirect("my_bookings")


def not_offered(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """allauth's pages Rendez does not offer (sign-up, passwords, e-mail addresses …): not found."""
    raise Http404
