"""Dashboard: booking requests — the inbox, the pending count in the navigation, and the
owner's three answers (approve, reschedule then approve, decline), each one service call.

HTMX actions answer with the request's row in its new state and an ``HX-Trigger:
requests-changed`` header, which refreshes the navigation's pending count.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ...core.errors import BookingError, InvalidTransition
from ...forms.requests import DeclineRequestForm, RescheduleRequestForm
from ...models import Booking, BookingStatus, Business
from ...selectors import inbox_requests, requests_ever, waiting_request_count
from ...services.requests import approve_request, decline_request, reschedule_request
from ...web.access import owner_required
from ...web.pages import render_page, wants_fragment
from ...web.request_input import local_date

PER_PAGE = 25
CONFLICT = 409
CHANGED = "requests-changed"
INBOX = "dashboard/requests/inbox.html"
FORMS = "dashboard/requests/forms.html"
PAGE = "dashboard/requests/request.html"


def _get_request_for_owner(pk: int) -> Booking:
    """A booking that is, or was, a request (the decorator has checked the owner's role); else 404."""
    return get_object_or_404(requests_ever(), pk=pk)


@owner_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Waiting requests, soonest first; or those decided in the last 30 days, latest first."""
    show = "decided" if request.GET.get("show") == "decided" else "waiting"
    rows = inbox_requests(decided=show == "decided")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "business": Business.current(), "now": timezone.now()}
    return render_page(request, INBOX, context, fragment="results")


@owner_required
@require_GET
def requests_count(request: HttpRequest) -> HttpResponse:
    """The navigation's badge: how many requests wait for an answer."""
    return render(request, "dashboard/requests/count.html", {"count": waiting_request_count()})


@owner_required
@require_POST
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the request at its time; the client gets the confirmation with the calendar file."""
    booking = _get_request_for_owner(pk)
    try:
        approve_request(booking=booking, by=request.user)
    except BookingError as error:
        return _refused(request, booking, error)
    return _decided(request, booking, _("Approved. The client gets the confirmation by e-mail."))


@owner_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def request_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form (staff member, day, that day's free times); POST: move the request, confirm it."""
    booking = _get_request_for_owner(pk)
    business = Business.current()
    if booking.status != BookingStatus.REQUESTED:
        return _refused(request, booking, InvalidTransition())
    if request.method == "GET":
        form = RescheduleRequestForm(
            booking=booking, business=business, initial=_reschedule_choice(request, booking, business)
        )
        if wants_fragment(request) and request.htmx.target == f"request-{booking.pk}-slots":
            return render(request, f"{FORMS}#slots", {"booking": booking, "reschedule_form": form})
        return _with_panel(request, booking, reschedule_form=form)
    form = RescheduleRequestForm(request.POST, booking=booking, business=business)
    if not form.is_valid():
        return _with_panel(request, booking, reschedule_form=form, status=400)
    answer = form.cleaned_data
    try:
        reschedule_request(
            booking=booking,
            start=answer["start"],
            staff=answer["staff"],
            by=request.user,
            private_note=answer["private_note"],
            notify=answer["notify"],
            message=answer["message"],
        )
    except BookingError as error:
        kept = {name: answer[name] for name in ("day", "private_note", "notify", "message")}
        fresh = RescheduleRequestForm(
            booking=booking, business=business, initial={"staff": answer["staff"].pk, **kept}
        )
        return _with_panel(request, booking, reschedule_form=fresh, error=error.message, status=CONFLICT)
    return _decided(request, booking, _("Rescheduled and confirmed."))


@owner_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (with the e-mail to the client); POST declines and frees the time."""
    booking = _get_request_for_owner(pk)
    if booking.status != BookingStatus.REQUESTED:
        return _refused(request, booking, InvalidTransition())
    if request.method == "GET":
        return _with_panel(request, booking, decline_form=DeclineRequestForm(auto_id=_ids(booking)))
    form = DeclineRequestForm(request.POST, auto_id=_ids(booking))
    if not form.is_valid():
        return _with_panel(request, booking, decline_form=form, status=400)
    try:
        decline_request(
            booking=booking,
            by=request.user,
            notify=form.cleaned_data["notify"],
            message=form.cleaned_data["message"],
        )
    except BookingError as error:
        return _refused(request, booking, error)
    return _decided(request, booking, _("Declined. The time is free again."))


def _ids(booking: Booking) -> str:
    """Field ids of one request's form, distinct from another open row's."""
    return f"id_request{booking.pk}_%s"


def _reschedule_choice(request: HttpRequest, booking: Booking, business: Business) -> dict:
    """The staff member and day to show times for: the visitor's choice, else the request's own."""
    current_day = booking.session.start.astimezone(business.tz).date()
    day = local_date(request.GET.get("day")) or current_day
    return {"staff": request.GET.get("staff") or booking.session.staff_id, "day": day, "notify": True}


def _with_panel(request: HttpRequest, booking: Booking, *, status: int = 200, **panel) -> HttpResponse:
    """The request with a form open under it: its row (HTMX) or a page of its own."""
    if wants_fragment(request):
        return _row(request, booking, status=status, **panel)
    context = {"booking": booking, "business": Business.current(), "now": timezone.now(), **panel}
    return render(request, PAGE, context, status=status)


def _row(request: HttpRequest, booking: Booking, *, status: int = 200, **extra) -> HttpResponse:
    context = {"booking": booking, "business": Business.current(), "now": timezone.now(), **extra}
    return render(request, f"{INBOX}#request_row", context, status=status)


def _decided(request: HttpRequest, booking: Booking, notice: str) -> HttpResponse:
    """After a decision: the row in its decided state (HTMX), else back to the inbox with a message."""
    if not request.htmx:
        messages.success(request, notice)
        return redirect(_back_url(request))
    response = _row(request, _get_request_for_owner(booking.pk), notice=notice)
    response["HX-Trigger"] = CHANGED
    return response


def _back_url(request: HttpRequest) -> str:
    """Where a plain answer returns: the page it was given on (booking, calendar), else the inbox."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("dashboard:requests")


def _refused(request: HttpRequest, booking: Booking, error: BookingError) -> HttpResponse:
    """A business refusal (already decided, slot taken): nothing changed; 409 with the reason."""
    booking = _get_request_for_owner(booking.pk)
    if request.htmx:
        response = _row(request, booking, error=error.message, status=CONFLICT)
        response["HX-Trigger"] = CHANGED  # someone else may have answered it: the count moved
        return response
    messages.error(request, error.message)
    return _with_panel(request, booking, status=CONFLICT)
