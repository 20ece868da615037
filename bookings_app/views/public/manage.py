"""After booking, from the signed link in the e-mail: the confirmation, the booking, its calendar
file, cancelling and rescheduling within the business's policy.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from ... import selectors
from ...core.errors import BookingError
from ...display import calendar_files
from ...display import receipts as receipt_display
from ...display.client_zone import carried_tz, client_time_zone
from ...models import Booking, BookingStatus, Business, ServiceKind, Session, SessionStatus
from ...services.changes import cancel_booking, client_may_change, move_class_seat, reschedule_appointment
from ...web import links
from ...web.request_input import positive_id
from .booking import Visit, chosen_staff, parse_start, picker_partial, refusal_status, see_other
from .slot_picker import build_picker, link


def _get_booking_for_token(token: str) -> Booking:
    """The booking behind a signed manage link; 404 for a tampered or unknown token."""
    booking = links.booking_for_token(token)
    if booking is None:
        raise Http404
    return booking


def _context(request: HttpRequest, booking: Booking, token: str) -> dict:
    """What every page about one booking shows: the booking (all sessions of a course) and the policy."""
    business = Business.current()
    bookings = selectors.enrollment_bookings(booking)
    may_change = client_may_change(booking)
    return {
        "business": business,
        "booking": booking,
        "bookings": bookings,
        "visits": [member.session for member in bookings],
        "token": token,
        "tz": client_time_zone(request, business, booking.client.tz),
        "may_change": may_change,
        "earlier": selectors.earlier_time_card(booking, may_change=may_change and len(bookings) == 1),
        "may_reschedule": booking.status == BookingStatus.CONFIRMED
        and len(bookings) == 1
        and booking.service.kind in (ServiceKind.APPOINTMENT, ServiceKind.CLASS),
        "change_deadline": booking.session.start - business.cancel_window,
        "manage_link": link(reverse("public:manage", args=[token]), **carried_tz(request)),
        "tz_query": urlencode(carried_tz(request)),
    }


@require_GET
def confirmation(request: HttpRequest, token: str) -> HttpResponse:
    booking = _get_booking_for_token(token)
    context = _context(request, booking, token)
    context["emailed"] = selectors.emails_sent_about(context["bookings"])
    if len(context["bookings"]) == 1:  # one event: a course's several dates come as the .ics only
        manage_url = links.manage_url(booking)
        context["google_url"] = calendar_files.google_calendar_url(booking, manage_url=manage_url)
        context["outlook_url"] = calendar_files.outlook_calendar_url(booking, manage_url=manage_url)
    return render(request, "public/confirmation.html", context)


@require_GET
def receipt_pdf(request: HttpRequest, token: str, number: str) -> HttpResponse:
    """One of the booking's receipts or credit notes, for whoever holds its signed link; 404 otherwise."""
    booking = _get_booking_for_token(token)
    found = receipt_display.split_number(number)
    receipt = booking.receipts.filter(series=found[0], number=found[1]).first() if found else None
    if receipt is None:
        raise Http404
    return receipt_display.pdf_response(receipt)


@require_GET
def booking_ics(request: HttpRequest, token: str) -> HttpResponse:
    booking = _get_booking_for_token(token)
    bookings = selectors.enrollment_bookings(booking)
    response = HttpResponse(
        calendar_files.bookings_ics(bookings, manage_url=links.manage_url(booking)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.code}.ics"'
    return response


@require_GET
@vary_on_headers("HX-Request")
def manage(request: HttpRequest, token: str) -> HttpResponse:
    booking = _get_booking_for_token(token)
    context = _context(request, booking, token)
    kind, business = booking.service.kind, context["business"]
    if context["may_change"] and kind == ServiceKind.APPOINTMENT:
        partial = picker_partial(request)
        context["picker"] = build_picker(
            request,
            service=booking.service,
            business=business,
            tz=context["tz"],
            carry_tz=carried_tz(request),
            staff_choices=selectors.active_staff(booking.service),
            page_url=reverse("public:manage", args=[token]),
            slot_url=reverse("public:reschedule", args=[token]),
            partial=partial,
            name_staff=True,
        )
        if partial:
            return render(request, f"public/service.html#{partial}", context)
    elif context["may_change"] and kind == ServiceKind.CLASS:
        sessions = selectors.upcoming_class_sessions(
            service=booking.service, business=business, exclude=booking.session
        )
        context["other_sessions"] = [session for session in sessions if session.seats_left]
    return render(request, "public/manage.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks "cancel this booking?"; POST cancels it (a course: every session)."""
    booking = _get_booking_for_token(token)
    context = _context(request, booking, token)
    if request.method == "POST":
        try:
            cancelled = cancel_booking(booking=booking, by_client=True)
        except BookingError as error:
            context["error"] = error.message
            return render(request, "public/cancel.html", context, status=refusal_status(error))
        if cancelled[0].withdrawn:
            messages.success(request, _("Your request is withdrawn. We have sent you an e-mail."))
        else:
            messages.success(request, _("Your booking is cancelled. We have sent you an e-mail."))
        return see_other(context["manage_link"])
    return render(request, "public/cancel.html", context)


@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the old and the new time; POST moves the booking there.

    Appointments name the new time (``?start=…&staff=…``), classes the new session (``?session=…``).
    """
    booking = _get_booking_for_token(token)
    context = _context(request, booking, token)
    if booking.service.kind == ServiceKind.APPOINTMENT:
        start = parse_start(request.GET.get("start"))
        if start is None:
            return see_other(context["manage_link"])
        staff = chosen_staff(booking.service, request.GET.get("staff"))
        context["new_visits"] = [
            Visit(start=start, end=start + booking.service.duration, staff=staff or booking.session.staff)
        ]
        return _confirm_move(
            request,
            context,
            lambda: reschedule_appointment(
                booking=booking,
                start=start,
                staff=staff,
                by_client=True,
            ),
        )
    if booking.service.kind == ServiceKind.CLASS:
        session = get_object_or_404(
            Session.objects.select_related("staff").exclude(pk=booking.session_id),
            pk=positive_id(request.GET.get("session")) or 0,
            service=booking.service,
            status=SessionStatus.SCHEDULED,
        )
        context["new_visits"] = [Visit(start=session.start, end=session.end, staff=session.staff)]
        return _confirm_move(
            request,
            context,
            lambda: move_class_seat(
                booking=booking,
                session=session,
                by_client=True,
            ),
        )
    raise Http404


def _confirm_move(request: HttpRequest, context: dict, move: Callable[[], Booking]) -> HttpResponse:
    if request.method != "POST":
        return render(request, "public/reschedule.html", context)
    try:
        move()
    except BookingError as error:
        context["error"] = error.message
        return render(request, "public/reschedule.html", context, status=refusal_status(error))
    messages.success(request, _("Your booking is moved. We have sent you an e-mail."))
    return see_other(context["manage_link"])
