"""Public pages for clients, phone first: the services, a day and a time, the booking form.

What follows a booking (confirmation, the manage link, cancel, reschedule) is in
``public_manage``. Times are shown in the client's time zone (``bookings_app.display.client_zone``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from ... import selectors
from ...core.errors import AlreadyBooked, BookingError, PaymentRefused, SlotUnavailable
from ...display.client_zone import carried_tz, client_time_zone
from ...forms.public import PAY_AS_USUAL, BookingForm, add_plan_field
from ...models import (
    Booking,
    BookingStatus,
    Business,
    Service,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
)
from ...plug_ins import checkout
from ...services.bookings import book_appointment, book_class_seat, book_course
from ...services.checkout import book_and_pay
from ...services.client_matching import ClientDetails
from ...services.payments import hold_for
from ...services.plans import USE_PLAN_FIELD, PlanCreditRefused, use_credit
from ...web import links
from ...web.embedding import is_embedded
from ...web.pages import wants_fragment
from ...web.request_input import aware_datetime, positive_id
from .discount_field import DISCOUNT_FIELD, discount_code_field, offers_discount_codes, with_discount
from .plan_shop import plans_to_offer
from .slot_picker import link

Book = Callable[[BookingForm, ClientDetails], Booking | list[Booking]]


def _get_service_for_client(slug: str, kind: str | None = None) -> Service:
    """A service clients may book (of ``kind``); 404 for an offline, archived or unknown one."""
    service = selectors.bookable_service(slug)
    if service is None or (kind and service.kind != kind):
        raise Http404
    return service


@dataclass(frozen=True)
class Visit:
    """One time the client will come, as a summary shows it."""

    start: datetime
    end: datetime
    staff: StaffMember | None


# --- Request parsing, shared with public_manage ----------------------------------------------------


def parse_start(value: str | None) -> datetime | None:
    """An aware ISO-8601 time; a ``+`` that arrived unencoded reads as a space."""
    return aware_datetime(value)


def chosen_staff(service: Service, value: str | None) -> StaffMember | None:
    """The ``staff`` parameter as one of the service's active staff; 404 for anyone else."""
    if not value:
        return None
    member_id = positive_id(value)
    member = selectors.service_staff_member(service, member_id) if member_id else None
    if member is None:
        raise Http404
    return member


def picker_partial(request: HttpRequest) -> str | None:
    """Which partial an HTMX request wants: the day's ``slots``, or the month ``calendar``."""
    if not wants_fragment(request):
        return None
    return "slots" if "day" in request.GET else "calendar"


def see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def refusal_status(error: BookingError) -> int:
    """409 when someone else got there first (slot taken, class full), 400 otherwise."""
    return 409 if isinstance(error, SlotUnavailable) else 400


# --- Pages ----------------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    services = list(selectors.bookable_services())
    context = {"business": Business.current(), "groups": selectors.services_by_kind(services)}
    return render(request, "public/home.html", context)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    service = _get_service_for_client(slug, ServiceKind.APPOINTMENT)
    start = parse_start(request.GET.get("start"))
    staff = chosen_staff(service, request.GET.get("staff"))
    if start is None:
        return redirect(service)

    def book_it(form: BookingForm, details: ClientDetails) -> Booking:
        return book_appointment(
            service=service,
            start=start,
            staff=staff,
            details=details,
            answers=form.answers(),
            request_key=form.cleaned_data["request_key"],
            hold_until=_hold_for(service, form),
        )

    visits = [Visit(start=start, end=start + service.duration, staff=staff)]
    is_request = service.needs_approval(notice=start - timezone.now())
    return _booking_form_page(request, service=service, visits=visits, book=book_it, is_request=is_request)


@require_http_methods(["GET", "POST"])
def book_session(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    service = _get_service_for_client(slug, ServiceKind.CLASS)
    session = get_object_or_404(
        Session.objects.select_related("staff"),
        pk=session_id,
        service=service,
        status=SessionStatus.SCHEDULED,
    )
    session.service = service

    def book_it(form: BookingForm, details: ClientDetails) -> Booking:
        return book_class_seat(
            session=session,
            details=details,
            answers=form.answers(),
            request_key=form.cleaned_data["request_key"],
            hold_until=_hold_for(service, form),
        )

    visits = [Visit(start=session.start, end=session.end, staff=session.staff)]
    return _booking_form_page(
        request,
        service=service,
        visits=visits,
        book=book_it,
        seats_left=session.seats_left,
        place_held=bool(selectors.sessions_with_a_place_for(request.user, [session])),
    )


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    service = _get_service_for_client(slug, ServiceKind.COURSE)

    def book_it(form: BookingForm, details: ClientDetails) -> list[Booking]:
        return book_course(
            service=service,
            details=details,
            answers=form.answers(),
            request_key=form.cleaned_data["request_key"],
        )

    visits = [Visit(start=s.start, end=s.end, staff=s.staff) for s in selectors.course_sessions(service)]
    return _booking_form_page(request, service=service, visits=visits, book=book_it)


def _hold_for(service: Service, form: BookingForm):
    """How long the place is held for an online payment; a booking paid with a pack pays nothing online."""
    return None if form.cleaned_data.get(USE_PLAN_FIELD) else hold_for(service)


def _offer_packs(request: HttpRequest, form: BookingForm, service: Service, visits: list[Visit]) -> None:
    """A signed-in client's packs that fit this booking, offered as the way to pay."""
    if not request.user.is_authenticated or len(visits) != 1:
        return
    packs = selectors.usable_plans(
        client=selectors.client_of(request.user), service=service, start=visits[0].start, now=timezone.now()
    )
    if packs:
        add_plan_field(form, packs, field_name=USE_PLAN_FIELD)


def _discount_code(form: BookingForm) -> str | None:
    """The code typed, unless a pack pays: a credit is not made cheaper by a code."""
    return None if form.cleaned_data.get(USE_PLAN_FIELD) else form.cleaned_data.get(DISCOUNT_FIELD)


def _pay(request: HttpRequest, form: BookingForm, bookings: list[Booking]) -> None:
    """Pay with the chosen pack's credit, or through the checkout's payment steps."""
    pack = form.cleaned_data.get(USE_PLAN_FIELD)
    if pack:
        use_credit(client_plan_id=pack, bookings=bookings)
    else:
        checkout.pay(request, form.cleaned_data, bookings)


def _known_details(request: HttpRequest) -> dict[str, str]:
    """A signed-in client's name, e-mail and phone, so they need not type them again."""
    user = request.user
    if not user.is_authenticated:
        return {}
    client = selectors.client_of(user)
    if client is None:
        return {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    return {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "email": client.email,
        "phone": client.phone,
    }


def _booking_form_page(
    request: HttpRequest,
    *,
    service: Service,
    visits: list[Visit],
    book: Book,
    seats_left: int | None = None,
    is_request: bool = False,
    place_held: bool = False,
) -> HttpResponse:
    """GET shows the form; POST books once per ``request_key`` and sees the client to the confirmation.

    The booking and its online payment (``checkout``) commit together; a request awaiting
    approval takes no online payment.
    """
    business = Business.current()
    tz = client_time_zone(request, business)
    form = BookingForm(
        request.POST or None, questions=list(service.questions.all()), initial=_known_details(request)
    )
    if not is_request:
        if offers_discount_codes(service):
            form.fields[DISCOUNT_FIELD] = discount_code_field()
        _offer_packs(request, form, service, visits)
        checkout.add_payment_fields(form, request)
    plans_on_offer = []
    if not is_request and USE_PLAN_FIELD not in form.fields and not is_embedded(request):
        plans_on_offer = plans_to_offer(request, service)
    context = {
        "business": business,
        "service": service,
        "visits": visits,
        "form": form,
        "tz": tz,
        "seats_left": seats_left,
        "error": "",
        "is_request": is_request,
        "place_held": place_held,
        "plans_on_offer": plans_on_offer,
    }
    if request.method != "POST":
        return render(request, "public/book.html", context)
    if not form.is_valid():
        return render(request, "public/book.html", context, status=400)
    details = form.client_details(language=get_language(), time_zone=tz.key)
    try:
        if (
            USE_PLAN_FIELD not in form.fields
            and request.POST.get(USE_PLAN_FIELD, PAY_AS_USUAL) != PAY_AS_USUAL
        ):
            raise PlanCreditRefused()  # the pack chosen on the form can no longer pay: book nothing
        if is_request:
            checkout.refuse_forged_payment(request)
        booked = book_and_pay(
            book=lambda: with_discount(book(form, details), _discount_code(form)),
            pay=lambda bookings: _pay(request, form, bookings),
        )
    except PaymentRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return render(request, "public/book.html", context, status=refusal.status)
    except BookingError as error:
        context["error"] = error.message
        context["place_held"] = isinstance(error, AlreadyBooked) and bool(seats_left == 0)
        return render(request, "public/book.html", context, status=refusal_status(error))
    first = booked[0] if isinstance(booked, list) else booked
    if first.status == BookingStatus.AWAITING_PAYMENT:  # on to the payment (views/payments.py)
        from .payments import checkout_for, pay_at_top

        return pay_at_top(request, first) if is_embedded(request) else checkout_for(request, first)
    confirmation = reverse("public:confirmation", args=[links.manage_token(first)])
    return see_other(link(confirmation, **carried_tz(request)))
