"""Dashboard: the owner's services — list, create, edit (in tabs), duplicate, archive.

The edit page's tabs come from ``bookings_app.plug_ins.service_tabs``; the three of bookings are
registered at the bottom of this module.
"""

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ...forms.catalog import (
    RULE_WEEKDAYS,
    ClassScheduleForm,
    ServiceFilterForm,
    ServiceForm,
    question_drafts,
    question_formset,
)
from ...models import Business, Service, ServiceKind
from ...plug_ins.service_tabs import register_service_tab, service_tabs_for
from ...selectors import class_schedules, coming_sessions, services_for_list
from ...services import catalog
from ...services.catalog import CatalogError
from ...web.access import owner_required
from ...web.pages import render_page

PER_PAGE = 25
SESSIONS_SHOWN = 20


def _get_service_for_owner(pk: int) -> Service:
    """Any service, archived ones included: the owner may see and restore them."""
    try:
        return Service.objects.get(pk=pk)
    except Service.DoesNotExist:
        raise Http404 from None


def _tab_url(service: Service, tab: str) -> str:
    return f"{reverse('dashboard:service', args=[service.pk])}?tab={tab}"


@owner_required
def services(request: HttpRequest) -> HttpResponse:
    """Every service, searchable by name, filterable by kind; archived ones only when asked."""
    filters = ServiceFilterForm(request.GET)
    filters.is_valid()
    page = Paginator(services_for_list(filters.cleaned_data), PER_PAGE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "business": Business.current()}
    return render_page(request, "dashboard/services/list.html", context, fragment="results")


@owner_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    """Choose the kind first (it never changes), then the details."""
    kind = request.GET.get("kind")
    if kind not in ServiceKind.values:
        return render(request, "dashboard/services/new.html", {"kinds": ServiceKind.choices})
    form = ServiceForm(
        request.POST or None, kind=kind, initial={"capacity": 10 if kind != ServiceKind.APPOINTMENT else 1}
    )
    if request.method == "POST" and form.is_valid():
        service = catalog.create_service(kind=kind, staff=form.cleaned_data["staff"], **form.details())
        messages.success(request, _("Service “%(name)s” created.") % {"name": service.name})
        return redirect(_tab_url(service, "details" if kind == ServiceKind.APPOINTMENT else "schedule"))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "kind": kind, "kind_label": ServiceKind(kind).label}
    return render(request, "dashboard/services/new.html", context, status=status)


@owner_required
@require_http_methods(["GET", "POST"])
def service(request: HttpRequest, pk: int) -> HttpResponse:
    """The edit page: every registered tab that applies; HTMX tab switches get the panel only."""
    service = _get_service_for_owner(pk)
    tabs = service_tabs_for(service)
    tab = next((tab for tab in tabs if tab.key == request.GET.get("tab")), tabs[0])
    result = tab.context_func(request, service)
    if isinstance(result, HttpResponse):
        return result
    status = result.pop("status", 200)
    context = {"service": service, "business": Business.current(), "tabs": tabs, "tab": tab, **result}
    tab_switch = "tab_panel" if request.method == "GET" else ""
    return render_page(request, "dashboard/services/edit.html", context, fragment=tab_switch, status=status)


@owner_required
@require_POST
def service_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    copy_of = catalog.duplicate_service(service=_get_service_for_owner(pk))
    messages.success(request, _("Copy created. It is offline until you switch it on."))
    return redirect(_tab_url(copy_of, "details"))


@owner_required
@require_http_methods(["GET", "POST"])
def service_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then hide the service from clients; its bookings stay."""
    return _archive_step(request, _get_service_for_owner(pk), archive=True)


@owner_required
@require_http_methods(["GET", "POST"])
def service_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then bring an archived service back."""
    return _archive_step(request, _get_service_for_owner(pk), archive=False)


def _archive_step(request: HttpRequest, service: Service, *, archive: bool) -> HttpResponse:
    if request.method == "POST":
        if archive:
            catalog.archive_service(service=service)
            messages.success(request, _("“%(name)s” is archived.") % {"name": service.name})
            return redirect("dashboard:services")
        catalog.restore_service(service=service)
        messages.success(request, _("“%(name)s” is back.") % {"name": service.name})
        return redirect(_tab_url(service, "details"))
    return render(
        request, "dashboard/services/confirm_archive.html", {"service": service, "archive": archive}
    )


# -- the built-in tabs ------------------------------------------------------------------


def details_tab(request: HttpRequest, service: Service) -> dict | HttpResponse:
    """Name, web address, description, duration, price, buffers, capacity, staff, online."""
    form = ServiceForm(request.POST or None, instance=copy.copy(service), kind=service.kind)
    if request.method != "POST":
        return {"form": form}
    if form.is_valid():
        try:
            catalog.update_service(service=service, staff=form.cleaned_data["staff"], **form.details())
        except CatalogError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Service saved."))
            return redirect(_tab_url(service, "details"))
    return {"form": form, "status": 400}


def schedule_tab(request: HttpRequest, service: Service) -> dict | HttpResponse:
    """Add a weekly rule (its sessions are created at once); the rules and coming sessions."""
    form = ClassScheduleForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            schedule, created = catalog.save_class_schedule(service=service, **form.cleaned_data)
        except CatalogError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Schedule saved: %(count)d session created.",
                    "Schedule saved: %(count)d sessions created.",
                    created,
                )
                % {"count": created},
            )
            return redirect(_tab_url(service, "schedule"))
    schedules = class_schedules(service)
    day_names = dict(RULE_WEEKDAYS)
    for rule in schedules:
        rule.weekday_names = ", ".join(str(day_names.get(day, day)) for day in rule.weekdays.split(","))
    upcoming = coming_sessions(service)
    return {
        "form": form,
        "schedules": schedules,
        "status": 400 if form.is_bound else 200,
        "sessions": upcoming[:SESSIONS_SHOWN],
        "session_count": upcoming.count(),
    }


def questions_tab(request: HttpRequest, service: Service) -> dict | HttpResponse:
    """The booking-form questions: edit, add (the blank row), remove, renumber."""
    formset = question_formset(service, request.POST or None)
    if request.method == "POST":
        if formset.is_valid():
            catalog.save_questions(service=service, questions=question_drafts(formset))
            messages.success(request, _("Booking form saved."))
            return redirect(_tab_url(service, "questions"))
        return {"formset": formset, "status": 400}
    return {"formset": formset}


def _has_sessions_by_rule(service: Service) -> bool:
    return service.kind in (ServiceKind.CLASS, ServiceKind.COURSE)


register_service_tab(
    "details", gettext_lazy("Details"), "dashboard/services/tab_details.html", details_tab, order=10
)
register_service_tab(
    "schedule",
    gettext_lazy("Schedule"),
    "dashboard/services/tab_schedule.html",
    schedule_tab,
    applies_to=_has_sessions_by_rule,
    order=20,
)
register_service_tab(
    "questions",
    gettext_lazy("Booking form"),
    "dashboard/services/tab_questions.html",
    questions_tab,
    order=30,
)
