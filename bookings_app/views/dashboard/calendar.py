"""The dashboard calendar: a week or a day of sessions, a side panel, and booking from an empty slot.

The owner sees everyone; a staff member with a sign-in account sees only their own column.
"""

import json
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ...core.errors import BookingError
from ...forms.calendar import NewBookingForm
from ...forms.session_cancellation import CancelSessionForm
from ...models import Booking, BookingSource, Business, Client, Session, StaffMember
from ...selectors import client_picker, schedule, staff_member_of, waitlist_of
from ...services.bookings import book_appointment
from ...web.access import staff_required
from ...web.pages import render_page
from ...web.request_input import local_date, positive_id, wall_datetime
from ...web.roles import is_owner


def _get_staff_for_viewer(request: HttpRequest, staff_id: str | None) -> StaffMember | None:
    """Whose calendar the viewer may open: for the owner everyone (None) or the member asked for;
    for a staff member only themselves (403 for anyone else, or without a staff record)."""
    if is_owner(request.user):
        if staff_id in (None, "", "all"):
            return None
        pk = positive_id(staff_id)
        if pk is None:
            raise PermissionDenied
        return get_object_or_404(StaffMember, pk=pk)
    own = staff_member_of(request.user)
    if own is None or staff_id not in (None, "", "all", str(own.pk)):
        raise PermissionDenied
    return own


def _get_booking_for_viewer(request: HttpRequest, pk: int) -> Booking:
    """A booking the viewer may open; 404 for another staff member's."""
    bookings = Booking.objects.select_related("client", "service", "session__staff")
    if not is_owner(request.user):
        bookings = bookings.filter(session__staff__user=request.user)
    return get_object_or_404(bookings, pk=pk)


def _get_session_for_viewer(request: HttpRequest, pk: int) -> Session:
    sessions = Session.objects.select_related("service", "staff")
    if not is_owner(request.user):
        sessions = sessions.filter(staff__user=request.user)
    return get_object_or_404(sessions, pk=pk)


# --- The calendar -------------------------------------------------------------------------------------


@staff_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """``?view=day|week&date=YYYY-MM-DD&staff=<id>|all``; HTMX navigation gets the calendar partial."""
    business = Business.current()
    staff = _get_staff_for_viewer(request, request.GET.get("staff"))
    view = "day" if request.GET.get("view") == "day" else "week"
    day = local_date(request.GET.get("date")) or timezone.localtime(timezone.now(), business.tz).date()
    days = [day] if view == "day" else schedule.week_of(day)
    members = schedule.calendar_staff(staff)
    grid = schedule.calendar_grid(days=days, staff=members, tz=business.tz, by_staff=view == "day")
    step = timedelta(days=1 if view == "day" else 7)
    chosen = str(staff.pk) if staff else "all"
    context = {
        "business": business,
        "view": view,
        "day": day,
        "days": days,
        "grid": grid,
        "staff": staff,
        "chosen_staff": chosen,
        "is_owner": is_owner(request.user),
        "staff_choices": schedule.calendar_staff() if is_owner(request.user) and staff else members,
        "staff_colours": schedule.staff_colours(members),
        "today": timezone.localtime(timezone.now(), business.tz).date(),
        "previous_url": _calendar_url(view, day - step, chosen),
        "next_url": _calendar_url(view, day + step, chosen),
        "today_url": _calendar_url(view, None, chosen),
        "week_url": _calendar_url("week", day, chosen),
        "day_url": _calendar_url("day", day, chosen),
        "current_url": _calendar_url(view, day, chosen),
    }
    return render_page(request, "dashboard/calendar.html", context, fragment="calendar")


def _calendar_url(view: str, day: date | None, staff: str) -> str:
    query = {"view": view, **({"date": day.isoformat()} if day else {}), "staff": staff}
    return f"{reverse('dashboard:calendar')}?{urlencode(query)}"


def _render_panel(
    request: HttpRequest, template: str, context: dict, *, status: int = 200, headers: dict | None = None
) -> HttpResponse:
    """HTMX gets the panel alone, to swap into the calendar's <aside>; a plain request a page."""
    context = {**context, "panel_template": template}
    response = render_page(
        request, "dashboard/calendar_panel_page.html", context, fragment="panel", status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- The side panel -----------------------------------------------------------------------------------


@staff_required
@require_GET
def booking_panel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _get_booking_for_viewer(request, pk)
    return _render_panel(request, "dashboard/_booking_panel.html", _booking_context(booking))


def _booking_context(booking: Booking, **extra) -> dict:
    try:
        detail_url = reverse("dashboard:booking", args=[booking.pk])
    except NoReverseMatch:  # the booking page comes with the bookings area
        detail_url = None
    return {"business": Business.current(), "booking": booking, "detail_url": detail_url, **extra}


@staff_required
@require_GET
def session_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """A class or course session with its roster and each client's attendance, and its waitlist."""
    session = _get_session_for_viewer(request, pk)
    return render_session_panel(request, session)


def render_session_panel(
    request: HttpRequest, session: Session, *, error: str = "", status: int = 200, **cancelling
) -> HttpResponse:
    """The panel; ``cancelling`` carries the cancel form's state (``cancel_form``,
    ``cancel_error``, ``cancelled``: what cancelling did)."""
    line = waitlist_of(session) if session.service.has_waitlist else []
    return _render_panel(
        request,
        "dashboard/calendar_session_panel.html",
        {
            "business": Business.current(),
            "session": session,
            "roster": schedule.session_roster(session),
            "waitlist": line,
            "first_waiting": next((entry.pk for entry in line if entry.status == "waiting"), None),
            "waitlist_error": error,
            "can_cancel": is_owner(request.user) and session.is_cancellable(),
            "cancel_form": cancelling.pop("cancel_form", None) or CancelSessionForm(),
            **cancelling,
        },
        status=status,
    )


# --- Booking from an empty slot ----------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def new_booking(request: HttpRequest) -> HttpResponse:
    """GET: the form for a slot (``?staff=&start=``); POST: book it. 400 on a form error, 409 when taken."""
    business = Business.current()
    params = request.POST if request.method == "POST" else request.GET
    staff_member = _get_staff_for_viewer(request, params.get("staff"))
    if staff_member is None:
        return HttpResponseBadRequest(_("Choose a staff member's column to book in."))
    form = NewBookingForm(
        request.POST or None,
        initial={"staff": staff_member.pk, "start": params.get("start")},
        staff_member=staff_member,
        business=business,
    )
    context = {
        "business": business,
        "form": form,
        "staff_member": staff_member,
        "start": _slot_start(params, business),
        **_chosen_client(request.POST.get("client", "")),
    }
    template = "dashboard/calendar_new_booking.html"
    if request.method == "GET":
        return _render_panel(request, template, context)
    if not form.is_valid():
        return _render_panel(request, template, context, status=400)
    try:
        booking = book_appointment(
            service=form.cleaned_data["service"],
            start=form.cleaned_data["start"],
            staff=staff_member,
            details=form.client_details(),
            source=BookingSource.DASHBOARD,
        )
    except BookingError as e:
        return _render_panel(request, template, {**context, "booking_error": e.message}, status=409)
    if not request.htmx:
        day = timezone.localtime(booking.session.start, business.tz).date()
        return redirect(_calendar_url("day", day, str(staff_member.pk)))
    booking = _get_booking_for_viewer(request, booking.pk)
    return _render_panel(
        request,
        "dashboard/_booking_panel.html",
        _booking_context(booking, created=True),
        headers={"HX-Trigger": json.dumps({"calendarChanged": booking.pk})},
    )


def _chosen_client(client_id: str) -> dict:
    """A client picked before a failed submit stays picked."""
    pk = positive_id(client_id)
    if pk is None:
        return {"clients": [], "selected_client": ""}
    return {"clients": list(Client.objects.filter(pk=pk)), "selected_client": str(pk)}


def _slot_start(params, business: Business) -> datetime | None:
    return wall_datetime(params.get("start"), business.tz)


@staff_required
@require_GET
def client_search(request: HttpRequest) -> HttpResponse:
    """Up to ten clients matching ``q`` by name, e-mail or phone (the client search's rule)."""
    _get_staff_for_viewer(request, None)  # a staff member without a staff record may not search
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "dashboard/calendar_new_booking.html#client_results",
        {"clients": client_picker(query), "query": query},
    )
