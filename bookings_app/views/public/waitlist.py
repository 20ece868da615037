"""The waitlist for clients: join a full class session, see one's place, take an offered seat, leave.

The entry's signed link (``web.links.waitlist_url``, in the offer e-mail and after joining) is
the client's page of it, as the manage link is for a booking.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import selectors
from ...core.errors import BookingError
from ...display.client_zone import carried_tz, client_time_zone
from ...forms.public import BookingForm
from ...models import BookingStatus, Business, ServiceKind, Session, SessionStatus, WaitlistEntry
from ...services.payments import accept_offer_and_pay
from ...services.waitlist import join_waitlist, leave_waitlist, line_session_id
from ...web import links
from .booking import Visit, _get_service_for_client, _known_details, see_other
from .slot_picker import link


def _get_entry_for_token(token: str) -> WaitlistEntry:
    entry = links.waitlist_entry_for_token(token)
    if entry is None:
        raise Http404
    return entry


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """The booking form's questions and details, to join the full session's line (a course's:
    its first session's, for the whole course)."""
    service = _get_service_for_client(slug)
    if not service.has_waitlist:
        raise Http404
    session = get_object_or_404(
        Session.objects.select_related("staff"),
        pk=session_id,
        service=service,
        status=SessionStatus.SCHEDULED,
    )
    session.service = service
    if line_session_id(session) != session.pk:
        raise Http404
    business = Business.current()
    tz = client_time_zone(request, business)
    form = BookingForm(
        request.POST or None, questions=list(service.questions.all()), initial=_known_details(request)
    )
    context = {
        "business": business,
        "service": service,
        "session": session,
        "visits": _visits(session),
        "form": form,
        "tz": tz,
        "error": "",
        "waiting": selectors.waitlist_lengths([session]).get(session.pk, 0),
    }
    if request.method != "POST":
        return render(request, "public/waitlist_join.html", context)
    if not form.is_valid():
        return render(request, "public/waitlist_join.html", context, status=400)
    details = form.client_details(language=get_language(), time_zone=tz.key)
    try:
        entry = join_waitlist(session=session, details=details, answers=form.answers())
    except BookingError as error:
        context["error"] = error.message
        return render(request, "public/waitlist_join.html", context, status=409)
    return see_other(link(links.waitlist_path(entry), **carried_tz(request)))


def _visits(session: Session) -> list[Visit]:
    """The times a place in this line is for: the session, or every session of a course."""
    sessions = [session]
    if session.service.kind == ServiceKind.COURSE:
        sessions = selectors.course_sessions(session.service)
    return [Visit(start=each.start, end=each.end, staff=each.staff) for each in sessions]


@require_GET
def entry(request: HttpRequest, token: str) -> HttpResponse:
    """The client's place in line, the seat offered to them, or what became of it."""
    return _entry_page(request, token)


def _entry_page(request: HttpRequest, token: str, *, error="", status: int = 200) -> HttpResponse:
    entry = _get_entry_for_token(token)
    business = Business.current()
    session = entry.session
    context = {
        "business": business,
        "entry": entry,
        "service": session.service,
        "session": session,
        "visits": _visits(session),
        "token": token,
        "tz": client_time_zone(request, business, entry.client.tz),
        "place": selectors.place_in_line(entry),
        "offer_open": entry.status == "offered" and entry.offer_until > timezone.now(),
        "error": error,
        "booking_link": links.manage_path(entry.booking) if entry.booking else "",
    }
    return render(request, "public/waitlist_entry.html", context, status=status)


@require_POST
def accept(request: HttpRequest, token: str) -> HttpResponse:
    entry = _get_entry_for_token(token)
    try:
        booking = accept_offer_and_pay(entry=entry, provider_name=settings.PAYMENT_PROVIDER)
    except BookingError as error:
        return _entry_page(request, token, error=error.message, status=409)
    if booking.status == BookingStatus.AWAITING_PAYMENT:
        from .payments import checkout_for

        return checkout_for(request, booking)
    confirmation = reverse("public:confirmation", args=[links.manage_token(booking)])
    return see_other(link(confirmation, **carried_tz(request)))


@require_POST
def leave(request: HttpRequest, token: str) -> HttpResponse:
    entry = _get_entry_for_token(token)
    leave_waitlist(entry=entry)
    return see_other(link(links.waitlist_path(entry), **carried_tz(request)))
