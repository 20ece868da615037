"""Appointments: "tell me if an earlier time opens" (docs/waitlist.md, "An earlier time").

The client asks or stops from their booking's pages (the manage link, the confirmation); the
notice's signed link, in its e-mail, opens the page that moves the booking to the time told.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ...core.errors import BookingError
from ...display.client_zone import carried_tz, client_time_zone
from ...models import Business, EarlierNoticeStatus, EarlierTimeNotice
from ...services.earlier_time_moves import ask_for_earlier_time, move_to_earlier_time, stop_earlier_time
from ...web import links
from ...web.earlier_time_links import notice_for_token
from .booking import Visit, refusal_status, see_other
from .manage import _get_booking_for_token
from .slot_picker import link

_BACK_PAGES = {"manage": "public:manage", "confirmation": "public:confirmation"}


def _get_notice_for_token(token: str) -> EarlierTimeNotice:
    """The notice behind a signed link; 404 for a tampered or unknown token."""
    notice = notice_for_token(token)
    if notice is None:
        raise Http404
    return notice


def _back(request: HttpRequest, token: str) -> HttpResponse:
    page = _BACK_PAGES.get(request.POST.get("back", ""), "public:manage")
    return see_other(link(reverse(page, args=[token]), **carried_tz(request)))


@require_POST
def ask(request: HttpRequest, token: str) -> HttpResponse:
    booking = _get_booking_for_token(token)
    try:
        ask_for_earlier_time(booking=booking, with_anyone=request.POST.get("with") == "anyone")
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: we will e-mail you if an earlier time opens."))
    return _back(request, token)


@require_POST
def stop(request: HttpRequest, token: str) -> HttpResponse:
    booking = _get_booking_for_token(token)
    if stop_earlier_time(booking=booking):
        messages.success(request, _("We will not e-mail you about earlier times any more."))
    return _back(request, token)


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the booked time and the earlier one; POST moves the booking there."""
    earlier = _get_notice_for_token(token)
    if request.method == "POST":
        try:
            booking = move_to_earlier_time(notice=earlier)
        except BookingError as error:
            earlier.refresh_from_db()
            return _notice_page(request, earlier, token, error=error.message, status=refusal_status(error))
        messages.success(request, _("Your booking is moved. We have sent you an e-mail."))
        return see_other(link(links.manage_path(booking), **carried_tz(request)))
    return _notice_page(request, earlier, token)


def _notice_page(
    request: HttpRequest, earlier: EarlierTimeNotice, token: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    business = Business.current()
    booking = earlier.request.booking
    session = booking.session
    context = {
        "business": business,
        "notice": earlier,
        "booking": booking,
        "service": earlier.service,
        "token": token,
        "tz": client_time_zone(request, business, earlier.request.client.tz),
        "booked_visits": [Visit(start=session.start, end=session.end, staff=session.staff)],
        "new_visits": [Visit(start=earlier.start, end=earlier.end, staff=earlier.staff)],
        "may_move": earlier.status == EarlierNoticeStatus.SENT and earlier.start < session.start,
        "error": error,
        "manage_link": link(links.manage_path(booking), **carried_tz(request)),
        "move_url": link(reverse("public:earlier_time", args=[token]), **carried_tz(request)),
    }
    return render(request, "public/earlier_time.html", context, status=status)
