"""The staff tablet at the front desk: today's sessions, check-in, no-show and walk-ins."""

from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from ...core.errors import AlreadyBooked, BookingError
from ...forms.tablet import WalkInForm
from ...models import Attendance, Booking, Business, Session, WaitlistEntry
from ...selectors import client_picker, staff_member_of, tablet
from ...services.changes import record_attendance, undo_attendance
from ...services.walk_ins import add_walk_in, seat_from_waitlist_at_the_door
from ...web.access import staff_required
from ...web.pages import render_page, wants_fragment
from ...web.request_input import local_date
from ...web.roles import is_owner

TEMPLATE = "staff/today.html"
TABLET_SIGN_IN_SECONDS = 60 * 60 * 24 * 30


def _get_booking_for_staff(request: HttpRequest, booking_id: int) -> Booking:
    """A confirmed booking in a session the user may work: an owner's any, a staff member's own; else 404."""
    sessions = tablet.visible_sessions(request.user)
    booking = tablet.roster_bookings().filter(pk=booking_id, session__in=sessions).first()
    if booking is None:
        raise Http404
    return booking


def _get_session_for_staff(request: HttpRequest, session_id: int) -> Session:
    """A scheduled session the user may work, with its roster; else 404."""
    if not tablet.visible_sessions(request.user).filter(pk=session_id).exists():
        raise Http404
    session = tablet.session_for_tablet(session_id=session_id)
    if session is None:
        raise Http404
    return session


def _day_from(request: HttpRequest, business: Business) -> date:
    return local_date(request.GET.get("date")) or timezone.localdate(timezone=business.tz)


@staff_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The day's sessions (``?date=YYYY-MM-DD``, default today in the business time zone).

    A staff member sees the sessions of the staff member linked to their account; an owner
    sees everyone's, narrowed by ``?staff=<id>``. Opening the tablet keeps its sign-in for
    30 days, so the front-desk device signs in once rather than every morning.
    """
    request.session.set_expiry(TABLET_SIGN_IN_SECONDS)
    business = Business.current()
    day = _day_from(request, business)
    owner = is_owner(request.user)
    if owner:
        chips = tablet.staff_filter_chips()
        member = next((chip for chip in chips if str(chip.pk) == request.GET.get("staff")), None)
    else:
        chips, member = [], staff_member_of(request.user)
    sessions = tablet.day_sessions(day=day, business=business, staff=member) if owner or member else []
    context = {
        "business": business,
        "day": day,
        "is_today": day == timezone.localdate(timezone=business.tz),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "sessions": sessions,
        "staff_chips": chips,
        "selected_staff": member,
        "is_owner": owner,
        "unlinked": not owner and member is None,
    }
    return render_page(request, TEMPLATE, context, fragment="day")


def _attendance_row(request: HttpRequest, booking_id: int, change) -> HttpResponse:
    """Apply ``change`` to the booking and answer with its re-rendered roster row (409 if refused)."""
    booking = _get_booking_for_staff(request, booking_id)
    error, status = None, 200
    try:
        change(booking)
    except BookingError as e:
        error, status = e.message, 409
    booking = _get_booking_for_staff(request, booking_id)
    return render(request, f"{TEMPLATE}#client-row", {"booking": booking, "row_error": error}, status=status)


@staff_required
@require_POST
def check_in(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _attendance_row(
        request,
        booking_id,
        lambda booking: record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=request.user),
    )


@staff_required
@require_POST
def no_show(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _attendance_row(
        request,
        booking_id,
        lambda booking: record_attendance(booking=booking, attendance=Attendance.NO_SHOW, by=request.user),
    )


@staff_required
@require_POST
def undo(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _attendance_row(request, booking_id, lambda booking: undo_attendance(booking=booking))


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def session_card(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session's card, as on the day page (closing the walk-in form brings it back).

    Opened as a page (a typed address, the back button), it leads to that card on its day's page.
    """
    session = _get_session_for_staff(request, session_id)
    if not wants_fragment(request):
        day = timezone.localdate(session.start, timezone=Business.current().tz)
        return redirect(f"{reverse('staff:today')}?date={day.isoformat()}#session-{session.pk}")
    return render(request, f"{TEMPLATE}#session-card", {"session": session})


@staff_required
@require_GET
def client_search(request: HttpRequest, session_id: int) -> HttpResponse:
    """Live results for the walk-in form: clients matching ``?q=`` by name, e-mail or phone."""
    session = _get_session_for_staff(request, session_id)
    clients = client_picker(request.GET.get("q", ""), limit=tablet.CLIENT_SEARCH_LIMIT)
    tablet.with_walk_in_packs(clients, session=session)
    return render(
        request,
        "staff/_walk_in.html#results",
        {"session": session, "clients": clients, "query": request.GET.get("q", "")},
    )


@staff_required
def walk_in(request: HttpRequest, session_id: int) -> HttpResponse:
    """GET: the walk-in form inside the session card. POST: seat and check in the client, paid
    with one of their packs when its button was chosen.

    Answers with the re-rendered card on success, the form with errors (400) when a field is
    missing, or the form with the business reason (409) when the session is full or the
    client already has a place.
    """
    session = _get_session_for_staff(request, session_id)
    form = WalkInForm(request.POST if request.method == "POST" else None, auto_id=f"walk-in-{session.pk}-%s")
    if request.method != "POST":
        return render(request, "staff/_walk_in.html", {"session": session, "form": form})
    if not form.is_valid():
        return _walk_in_form_again(request, session, form, status=400)
    known, pack = form.cleaned_data["client"], form.cleaned_data.get("client_plan")
    try:
        details = None if known else form.client_details()
        add_walk_in(
            session=session,
            client=known,
            details=details,
            client_plan_id=pack.pk if pack else None,
            by=request.user,
        )
    except AlreadyBooked:
        form.add_error(None, _("This client already has a place in this session."))
    except BookingError as e:
        form.add_error(None, e.message)
    if form.errors:
        return _walk_in_form_again(request, session, form, status=409)
    session = _get_session_for_staff(request, session_id)
    return render(request, f"{TEMPLATE}#session-card", {"session": session})


def _walk_in_form_again(
    request: HttpRequest, session: Session, form: WalkInForm, *, status: int
) -> HttpResponse:
    """The form with its errors, swapped over itself rather than over the session card."""
    response = render(request, "staff/_walk_in.html", {"session": session, "form": form}, status=status)
    return reswap(retarget(response, f"#walk-in-form-{session.pk}"), "outerHTML")


@staff_required
@require_POST
def seat_from_waitlist(request: HttpRequest, session_id: int, entry_id: int) -> HttpResponse:
    """A waiting client at the door takes a no-show's seat: the card again, or with the reason (409)."""
    session = _get_session_for_staff(request, session_id)
    entry = WaitlistEntry.objects.filter(pk=entry_id, session=session).first()
    if entry is None:
        raise Http404
    status, error = 200, ""
    try:
        seat_from_waitlist_at_the_door(entry=entry, by=request.user)
    except BookingError as e:
        status, error = 409, e.message
    session = _get_session_for_staff(request, session_id)
    return render(
        request, f"{TEMPLATE}#session-card", {"session": session, "line_error": error}, status=status
    )
