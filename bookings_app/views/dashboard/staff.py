"""Dashboard: staff members — list, details, tablet account, working hours, date overrides, time off,
outside calendars (busy times)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...forms.catalog import (
    DateOverrideForm,
    StaffFilterForm,
    StaffMemberForm,
    TimeOffForm,
    WorkingHoursForm,
)
from ...models import WEEKDAYS, Business, DateOverride, OutsideCalendar, StaffMember, TimeOff
from ...selectors import staff_for_list
from ...services import catalog
from ...services.catalog import CatalogError
from ...web.access import owner_required
from ...web.outside_calendars import add_posted_calendar, ask_for_fetch, calendars_context, remove_calendar
from ...web.pages import render_page
from ...web.request_input import bounded_int

PER_PAGE = 25
PAST_TIME_OFF_SHOWN = 10
EDIT_TEMPLATE = "dashboard/staff/edit.html"


def _get_staff_member_for_owner(pk: int) -> StaffMember:
    try:
        return StaffMember.objects.select_related("user").get(pk=pk)
    except StaffMember.DoesNotExist:
        raise Http404 from None


def _get_date_override_for_owner(staff_member: StaffMember, pk: int) -> DateOverride:
    try:
        return staff_member.date_overrides.get(pk=pk)
    except DateOverride.DoesNotExist:
        raise Http404 from None


def _get_time_off_for_owner(staff_member: StaffMember, pk: int) -> TimeOff:
    try:
        return staff_member.time_off.get(pk=pk)
    except TimeOff.DoesNotExist:
        raise Http404 from None


def _get_outside_calendar_for_owner(staff_member: StaffMember, pk: int) -> OutsideCalendar:
    try:
        return staff_member.outside_calendars.get(pk=pk)
    except OutsideCalendar.DoesNotExist:
        raise Http404 from None


def _member_url(staff_member: StaffMember, section: str = "") -> str:
    url = reverse("dashboard:staff_member", args=[staff_member.pk])
    return f"{url}#{section}" if section else url


@owner_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """Every staff member, searchable by name or e-mail, with how many services each gives."""
    filters = StaffFilterForm(request.GET)
    filters.is_valid()
    members = staff_for_list(filters.cleaned_data.get("q") or "")
    page = Paginator(members, PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request, "dashboard/staff/list.html", {"filters": filters, "page": page}, fragment="results"
    )


@owner_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    form = StaffMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff_member = catalog.create_staff_member(**form.cleaned_data)
        messages.success(
            request, _("%(name)s added. Now set the working hours.") % {"name": staff_member.name}
        )
        return redirect(_member_url(staff_member, "hours"))
    status = 400 if request.method == "POST" else 200
    return render(request, "dashboard/staff/new.html", {"form": form}, status=status)


@owner_required
@require_http_methods(["GET", "POST"])
def staff_member(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff member's page; a POST saves the details."""
    staff_member = _get_staff_member_for_owner(pk)
    if request.method == "POST":
        form = StaffMemberForm(request.POST, instance=StaffMember.objects.get(pk=pk))
        if form.is_valid():
            catalog.update_staff_member(staff_member=staff_member, **form.cleaned_data)
            messages.success(request, _("Details saved."))
            return redirect(_member_url(staff_member))
        return _staff_page(request, staff_member, status=400, details_form=form)
    return _staff_page(request, staff_member)


@owner_required
@require_POST
def staff_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the staff member a tablet account (the owner sets its password in the admin)."""
    staff_member = _get_staff_member_for_owner(pk)
    try:
        catalog.invite_staff_member(staff_member=staff_member)
    except CatalogError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s can now be given a password in the admin.") % {"name": staff_member.name}
        )
    return redirect(_member_url(staff_member, "account"))


@owner_required
@require_POST
def staff_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the weekly hours; a day's problem shows next to its row."""
    staff_member = _get_staff_member_for_owner(pk)
    form = WorkingHoursForm(request.POST, staff_member=staff_member)
    if form.is_valid():
        catalog.replace_working_hours(staff_member=staff_member, intervals=form.intervals())
        messages.success(request, _("Working hours saved."))
        return redirect(_member_url(staff_member, "hours"))
    return _staff_page(request, staff_member, status=400, hours_form=form)


@owner_required
@require_GET
def staff_hours_interval(request: HttpRequest) -> HttpResponse:
    """HTMX: one more empty interval for a weekday row (``?weekday=0``), or nothing (``?remove=1``)."""
    if request.GET.get("remove"):
        return HttpResponse("")
    weekday = bounded_int(request.GET.get("weekday"), maximum=6)
    if weekday not in dict(WEEKDAYS):
        raise Http404
    context = {"row": {"weekday": weekday}, "interval": {"start": "", "end": ""}}
    return render(request, f"{EDIT_TEMPLATE}#interval", context)


@owner_required
@require_POST
def staff_override_add(request: HttpRequest, pk: int) -> HttpResponse:
    staff_member = _get_staff_member_for_owner(pk)
    form = DateOverrideForm(request.POST)
    if form.is_valid():
        try:
            catalog.add_date_override(staff_member=staff_member, **form.cleaned_data)
        except CatalogError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Date override added."))
            return redirect(_member_url(staff_member, "overrides"))
    return _staff_page(request, staff_member, status=400, override_form=form)


@owner_required
@require_http_methods(["GET", "POST"])
def staff_override_remove(request: HttpRequest, pk: int, override_pk: int) -> HttpResponse:
    """Confirm, then let the date follow the weekly hours again."""
    staff_member = _get_staff_member_for_owner(pk)
    date_override = _get_date_override_for_owner(staff_member, override_pk)
    if request.method == "POST":
        catalog.remove_date_override(date_override=date_override)
        messages.success(request, _("Date override removed."))
        return redirect(_member_url(staff_member, "overrides"))
    context = {"staff_member": staff_member, "date_override": date_override, "business": Business.current()}
    return render(request, "dashboard/staff/confirm_remove.html", context)


@owner_required
@require_POST
def staff_time_off_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Time off, typed in the business's time zone."""
    staff_member = _get_staff_member_for_owner(pk)
    form = TimeOffForm(request.POST)
    with timezone.override(Business.current().tz):
        valid = form.is_valid()
    if valid:
        try:
            catalog.add_time_off(staff_member=staff_member, **form.cleaned_data)
        except CatalogError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Time off added."))
            return redirect(_member_url(staff_member, "time-off"))
    return _staff_page(request, staff_member, status=400, time_off_form=form)


@owner_required
@require_http_methods(["GET", "POST"])
def staff_time_off_remove(request: HttpRequest, pk: int, time_off_pk: int) -> HttpResponse:
    """Confirm, then make the staff member bookable again in that span."""
    staff_member = _get_staff_member_for_owner(pk)
    time_off = _get_time_off_for_owner(staff_member, time_off_pk)
    if request.method == "POST":
        catalog.remove_time_off(time_off=time_off)
        messages.success(request, _("Time off removed."))
        return redirect(_member_url(staff_member, "time-off"))
    context = {"staff_member": staff_member, "time_off": time_off, "business": Business.current()}
    return render(request, "dashboard/staff/confirm_remove.html", context)


@owner_required
@require_POST
def staff_outside_calendar_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an outside calendar's secret address; its first fetch is queued at once."""
    staff_member = _get_staff_member_for_owner(pk)
    form = add_posted_calendar(request, staff_member)
    if form is None:
        return redirect(_member_url(staff_member, "outside-calendars"))
    return _staff_page(request, staff_member, status=400, outside_calendar_form=form)


@owner_required
@require_http_methods(["GET", "POST"])
def staff_outside_calendar_remove(request: HttpRequest, pk: int, calendar_pk: int) -> HttpResponse:
    """Confirm, then forget the calendar and its busy times."""
    staff_member = _get_staff_member_for_owner(pk)
    calendar = _get_outside_calendar_for_owner(staff_member, calendar_pk)
    if request.method == "POST":
        remove_calendar(request, calendar)
        return redirect(_member_url(staff_member, "outside-calendars"))
    context = {"staff_member": staff_member, "outside_calendar": calendar, "business": Business.current()}
    return render(request, "dashboard/staff/confirm_remove.html", context)


@owner_required
@require_POST
def staff_outside_calendar_fetch(request: HttpRequest, pk: int, calendar_pk: int) -> HttpResponse:
    """ "Fetch now": a worker reads the calendar in a moment."""
    staff_member = _get_staff_member_for_owner(pk)
    calendar = _get_outside_calendar_for_owner(staff_member, calendar_pk)
    ask_for_fetch(request, calendar)
    return redirect(_member_url(staff_member, "outside-calendars"))


def _staff_page(
    request: HttpRequest, staff_member: StaffMember, *, status: int = 200, **forms
) -> HttpResponse:
    """The whole page, with any form passed in (bound, with its errors) and fresh ones for the rest."""
    business = Business.current()
    now = timezone.now()
    time_off = list(staff_member.time_off.filter(end__gte=now).order_by("start"))
    past_time_off = list(staff_member.time_off.filter(end__lt=now).order_by("-start")[:PAST_TIME_OFF_SHOWN])
    today = timezone.localdate(now, business.tz)
    context = {
        "staff_member": staff_member,
        "business": business,
        "details_form": forms.get("details_form") or StaffMemberForm(instance=staff_member),
        "hours_form": forms.get("hours_form") or WorkingHoursForm(staff_member=staff_member),
        "override_form": forms.get("override_form") or DateOverrideForm(),
        "time_off_form": forms.get("time_off_form") or TimeOffForm(),
        "date_overrides": staff_member.date_overrides.filter(date__gte=today).order_by("date", "start"),
        "time_off": time_off,
        "past_time_off": past_time_off,
        **calendars_context(staff_member, forms.get("outside_calendar_form")),
    }
    return render(request, EDIT_TEMPLATE, context, status=status)
