"""The owner's Bookings pages: the filtered list, one booking with its actions, and rescheduling."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import selectors
from ...core.errors import BookingError
from ...display import receipts as receipt_display
from ...forms.payments import DeskPaymentForm
from ...forms.people import BookingFilterForm, NotesForm, RescheduleDayForm
from ...models import Booking, Business, ServiceKind
from ...selectors import earlier_times, rescheduling
from ...services import changes
from ...services.in_person import record_desk_payment
from ...services.moves import move_booking
from ...web.access import owner_required
from ...web.pages import render_page
from ...web.request_input import aware_datetime, positive_id

PER_PAGE = 25
CONFLICT = 409
DETAIL = "dashboard/bookings/booking.html"
LIST = "dashboard/bookings/list.html"
RESCHEDULE = "dashboard/bookings/reschedule.html"


def _get_booking_for_owner(pk: int) -> Booking:
    """Any booking, for the owner (the decorator has checked the role), with what its page shows."""
    return get_object_or_404(
        Booking.objects.select_related("client", "service", "session__staff", "discount").prefetch_related(
            "payments__ledger_entries", "payments__refunds", "receipts"
        ),
        pk=pk,
    )


@owner_required
@require_GET
def bookings(request: HttpRequest) -> HttpResponse:
    """Every booking, filtered by session date, service, staff, status, attendance, payment and client."""
    business = Business.current()
    filters = BookingFilterForm(request.GET)
    filters.is_valid()  # invalid filters are shown with their error and do not narrow the list
    page = selectors.bookings_list_page(
        filters.cleaned_data, tz=business.tz, number=request.GET.get("page"), per_page=PER_PAGE
    )
    status = 400 if filters.errors else 200
    context = {"filters": filters, "page": page, "business": business}
    return render_page(request, LIST, context, fragment="table", status=status)


def _get_receipt_for_owner(booking: Booking, number: str):
    """One receipt or credit note of ``booking``; 404 for any other number."""
    found = receipt_display.split_number(number)
    receipt = booking.receipts.filter(series=found[0], number=found[1]).first() if found else None
    if receipt is None:
        raise Http404
    return receipt


def _booking_page(request: HttpRequest, booking: Booking, *, status: int = 200, **extra) -> HttpResponse:
    """The booking's page, or its ``detail`` fragment for an HTMX request."""
    context = {
        "booking": booking,
        "business": Business.current(),
        "events": booking.events.order_by("occurred_at", "pk"),
        "emails": booking.emails.order_by("-created_at"),
        "notes_form": extra.pop("notes_form", None) or NotesForm(initial={"notes": booking.notes}),
        "may_reschedule": rescheduling.may_reschedule(booking),
        "earlier_wish": earlier_times.open_wish(booking),
        "desk_form": extra.pop("desk_form", None) or _desk_form(booking),
        **extra,
    }
    return render_page(request, DETAIL, context, fragment="detail", status=status)


def _desk_form(booking: Booking) -> DeskPaymentForm | None:
    """The "payment at the desk" form, while a confirmed booking has something left to pay."""
    if booking.status != "confirmed" or booking.due_in_person <= 0:
        return None
    return DeskPaymentForm(initial={"amount": booking.due_in_person})


def _after_action(
    request: HttpRequest, booking: Booking, *, error: BookingError | None = None
) -> HttpResponse:
    """Show the outcome: the fragment for HTMX (409 with the message on refusal), else back to the page."""
    if error is not None:
        messages.error(request, error.message)
    if request.htmx:
        booking = _get_booking_for_owner(booking.pk)
        return _booking_page(request, booking, status=CONFLICT if error else 200)
    if error is not None:
        return _booking_page(request, _get_booking_for_owner(booking.pk), status=CONFLICT)
    return redirect("dashboard:booking", pk=booking.pk)


@owner_required
@require_GET
def booking(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking: who, what, when, its state, the e-mails sent for it and what happened to it."""
    return _booking_page(request, _get_booking_for_owner(pk))


@owner_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST cancels (a course booking with all its sessions) and tells the client."""
    booking = _get_booking_for_owner(pk)
    if request.method == "GET":
        return _booking_page(request, booking, confirm_cancel=True)
    try:
        changes.cancel_booking(booking=booking, by_client=False, by=request.user)
    except BookingError as e:
        return _after_action(request, booking, error=e)
    messages.success(request, _("The booking is cancelled and the client is told by e-mail."))
    return _after_action(request, booking)


@owner_required
@require_POST
def booking_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the booking paid (in person) or, with ``paid=0``, not paid."""
    booking = _get_booking_for_owner(pk)
    if request.POST.get("paid") == "0":
        changes.unmark_paid(booking=booking)
        messages.success(request, _("Marked as not paid."))
    else:
        try:
            changes.mark_paid(booking=booking)
        except BookingError as e:
            return _after_action(request, booking, error=e)
        messages.success(request, _("Marked as paid."))
    return _after_action(request, booking)


@owner_required
@require_POST
def booking_desk_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """Record money taken at the desk (amount, cash or card) with its receipt, e-mailed if asked."""
    booking = _get_booking_for_owner(pk)
    form = DeskPaymentForm(request.POST)
    if not form.is_valid():
        return _booking_page(request, booking, status=400, desk_form=form)
    try:
        payment = record_desk_payment(booking=booking, **form.cleaned_data)
    except BookingError as e:
        form.add_error("amount", e.message)
        return _booking_page(request, booking, status=400, desk_form=form)
    receipt = payment.receipts.first()
    messages.success(
        request,
        _("%(amount)s %(currency)s recorded; receipt %(number)s issued.")
        % {
            "amount": payment.amount,
            "currency": payment.currency,
            "number": receipt.display_number if receipt else "",
        },
    )
    return _after_action(request, booking)


@owner_required
@require_POST
def booking_notes(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _get_booking_for_owner(pk)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _booking_page(request, booking, status=400, notes_form=form)
    changes.set_booking_notes(booking=booking, notes=form.cleaned_data["notes"])
    messages.success(request, _("Notes saved."))
    return _after_action(request, booking)


def _reschedule_context(request: HttpRequest, booking: Booking, business: Business) -> dict:
    """For an appointment: the chosen day's free slots (any staff of the service, or the one chosen),
    opening on the booking's own day; when that day has none, the next day that has.
    For a class: its next scheduled sessions, other than the booking's own."""
    context: dict = {"booking": booking, "business": business}
    if booking.service.kind == ServiceKind.CLASS:
        context["class_sessions"] = rescheduling.other_class_sessions(booking)
        return context
    opening_day = rescheduling.opening_day(booking, business)
    wanted = request.GET if "day" in request.GET else {"day": opening_day.isoformat(), "staff": ""}
    day_form = RescheduleDayForm(wanted, service=booking.service)
    context["day_form"] = day_form
    if day_form.is_valid():
        chosen = {"day": day_form.cleaned_data["day"], "staff": day_form.cleaned_data["staff"]}
        slots = rescheduling.free_slots_with_names(booking, business=business, **chosen)
        context.update(day=chosen["day"], slots=slots)
        if not slots:
            context["next_free_day"] = rescheduling.next_free_day(booking, business=business, **chosen)
    return context


@owner_required
@require_http_methods(["GET", "POST"])
def booking_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an appointment to a free slot, or a class booking to another session of the class."""
    booking = _get_booking_for_owner(pk)
    business = Business.current()
    if request.method == "POST":
        try:
            target = _chosen_target(request, booking, business)
            if request.POST.get("confirm") != "1":
                context = {**_reschedule_context(request, booking, business), "move_to": target}
                return render(request, RESCHEDULE, context)
            notify = request.POST.get("notify") == "1"
            move_booking(booking=booking, target=target, by=request.user, notify=notify)
        except BookingError as e:
            messages.error(request, e.message)
            context = _reschedule_context(request, booking, business)
            return render(request, RESCHEDULE, context, status=CONFLICT)
        if notify:
            messages.success(request, _("The booking is moved and the client is told by e-mail."))
        else:
            messages.success(request, _("The booking is moved; the client is not told."))
        return redirect("dashboard:booking", pk=booking.pk)
    return render_page(request, RESCHEDULE, _reschedule_context(request, booking, business), fragment="slots")


def _chosen_target(request: HttpRequest, booking: Booking, business: Business) -> rescheduling.MoveTarget:
    """The slot or session posted. Raises SlotUnavailable for one that is unknown or no longer free."""
    return rescheduling.move_target(
        booking,
        business=business,
        session_id=positive_id(request.POST.get("session")),
        start=aware_datetime(request.POST.get("start")),
        staff_id=positive_id(request.POST.get("staff")),
    )


@owner_required
@require_GET
def booking_receipt(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """The PDF of one of the booking's receipts or credit notes, in the owner's language."""
    receipt = _get_receipt_for_owner(_get_booking_for_owner(pk), number)
    return receipt_display.pdf_response(receipt)
