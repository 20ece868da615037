"""The owner's calendar feeds: the business's and each staff member's subscription address,
made, renewed or revoked here (renew and revoke ask first), and what staff feeds show."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ...forms.calendar_feeds import FeedPrivacyForm, NewFeedForm
from ...models import Business, CalendarFeed, FeedKind
from ...selectors import team_feeds
from ...services.calendar_feeds import ensure_feed, renew_feed, revoke_feed, set_feed_privacy
from ...web.access import owner_required
from ...web.links import feed_url


def _get_team_feed_for_owner(pk: int) -> CalendarFeed:
    """A live business or staff feed; client feeds are the clients' own."""
    feed = (
        CalendarFeed.objects.select_related("staff")
        .filter(pk=pk, revoked_at__isnull=True, kind__in=[FeedKind.BUSINESS, FeedKind.STAFF])
        .first()
    )
    if feed is None:
        raise Http404
    return feed


def _page(
    request: HttpRequest, *, form=None, confirm=None, action: str = "", status: int = 200
) -> HttpResponse:
    business = Business.current()
    business_feed, staff = team_feeds()
    rows = [
        {
            "label": _("The whole business"),
            "hint": _("Every session of every staff member."),
            "staff": None,
            "feed": business_feed,
            "address": feed_url(business_feed),
        }
    ] + [
        {"label": member.name, "hint": "", "staff": member, "feed": feed, "address": feed_url(feed)}
        for member, feed in staff
    ]
    context = {
        "rows": rows,
        "form": form or FeedPrivacyForm(instance=business),
        "confirm": confirm,
        "confirm_action": action,
    }
    return render(request, "dashboard/calendar_feeds.html", context, status=status)


@owner_required
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest) -> HttpResponse:
    """The addresses; a POST saves what staff feeds show."""
    if request.method == "POST":
        form = FeedPrivacyForm(request.POST, instance=Business.current())
        if not form.is_valid():
            return _page(request, form=form, status=400)
        set_feed_privacy(
            business=Business.current(),
            client_names=form.cleaned_data["feed_client_names"],
            private_notes=form.cleaned_data["feed_private_notes"],
        )
        messages.success(request, _("Calendar feed settings saved."))
        return redirect("dashboard:feeds")
    return _page(request)


@owner_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    """Make the business's address, or a staff member's (``staff``)."""
    form = NewFeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That staff member cannot have a calendar feed."))
        return redirect("dashboard:feeds")
    staff = form.cleaned_data["staff"]
    ensure_feed(kind=FeedKind.STAFF if staff else FeedKind.BUSINESS, staff=staff)
    messages.success(request, _("The calendar address is ready: copy it into a calendar app."))
    return redirect("dashboard:feeds")


@owner_required
@require_http_methods(["GET", "POST"])
def feed_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST gives the feed a new address and the old one stops working."""
    feed = _get_team_feed_for_owner(pk)
    if request.method == "GET":
        return _page(request, confirm=feed, action="renew")
    renew_feed(feed=feed)
    messages.success(request, _("New address made. Calendars subscribed to the old one stop updating."))
    return redirect("dashboard:feeds")


@owner_required
@require_http_methods(["GET", "POST"])
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST turns the address off for good."""
    feed = _get_team_feed_for_owner(pk)
    if request.method == "GET":
        return _page(request, confirm=feed, action="revoke")
    revoke_feed(feed=feed)
    messages.success(request, _("The address is turned off. Calendars subscribed to it stop updating."))
    return redirect("dashboard:feeds")
