"""Dashboard: the owner's plans (class packs) and each client's packs (docs/plans.md)."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...display.plan_report import report_csv
from ...forms.plans import GivePlanForm, PlanFilterForm, PlanForm, PlanReportForm
from ...models import Business, Client, Plan, PlanKind
from ...selectors import client_plans_of, credit_uses_of, plan_report, plans_for_list, plans_to_give
from ...services.plans import PlanError, give_plan, save_plan, set_plan_archived
from ...web.access import owner_required
from ...web.pages import render_page
from .membership_panel import memberships_of

PER_PAGE = 25
USES_PER_PAGE = 20


def _get_plan_for_owner(pk: int) -> Plan:
    """Any plan, archived ones included."""
    return get_object_or_404(Plan, pk=pk)


def _get_client_for_owner(pk: int) -> Client:
    return get_object_or_404(Client, pk=pk)


@owner_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    """Every plan, searched by name; archived ones only when asked. 25 a page."""
    filters = PlanFilterForm(request.GET)
    filters.is_valid()
    found = plans_for_list(
        query=filters.cleaned_data.get("q") or "", archived=bool(filters.cleaned_data.get("archived"))
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "business": Business.current()}
    return render_page(request, "dashboard/plans/list.html", context, fragment="results")


def _report_rows(filters: PlanReportForm, business: Business):
    """The report's plans and its period (first and last day) from valid ``filters``."""
    today = timezone.localdate(timezone=business.tz)
    first, last = filters.period(today)
    start = datetime.combine(first, time.min, tzinfo=business.tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=business.tz)
    query = filters.cleaned_data.get("q") or ""
    return plan_report(query=query, start=start, end=end, now=timezone.now()), first, last


@owner_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Per plan: packs active now; sold, given, credits sold and used, revenue over the dates.
    An invalid date is shown with its error and left out (answered 400)."""
    business = Business.current()
    filters = PlanReportForm(request.GET)
    filters.is_valid()
    rows, first, last = _report_rows(filters, business)
    context = {
        "filters": filters,
        "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "first": first,
        "last": last,
        "export_query": request.GET.urlencode() if not filters.errors else "",
    }
    status = 400 if filters.errors else 200
    return render_page(request, "dashboard/plans/report.html", context, fragment="results", status=status)


@owner_required
@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    """The report as CSV, every plan; invalid filters are refused (400) rather than guessed."""
    business = Business.current()
    filters = PlanReportForm(request.GET)
    if not filters.is_valid():
        return HttpResponse(
            _("These filters are not valid; correct them on the report page first."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows, first, last = _report_rows(filters, business)
    response = StreamingHttpResponse(report_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plans-{first:%Y-%m-%d}-{last:%Y-%m-%d}.csv"'
    return response


@owner_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    """A new class pack, or a membership with ``?kind=membership``."""
    kind = PlanKind.MEMBERSHIP if request.GET.get("kind") == PlanKind.MEMBERSHIP else PlanKind.PACK
    return _plan_form(request, None, kind=kind)


@owner_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_form(request, _get_plan_for_owner(pk))


def _plan_form(request: HttpRequest, plan: Plan | None, *, kind: str = PlanKind.PACK) -> HttpResponse:
    initial = {} if plan else {"currency": Business.current().currency}
    form = PlanForm(request.POST or None, instance=plan, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_plan(
                plan=plan, kind=form.kind, services=form.cleaned_data["services"], **form.plan_fields()
            )
        except PlanError as error:
            form.add_error("services", error.message)
        else:
            messages.success(request, _("Plan “%(name)s” saved.") % {"name": saved.name})
            return redirect("dashboard:plans")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "plan": plan, "is_membership": form.kind == PlanKind.MEMBERSHIP}
    return render(request, "dashboard/plans/form.html", context, status=status)


@owner_required
@require_POST
def plan_archive(request: HttpRequest, pk: int) -> HttpResponse:
    plan = set_plan_archived(plan=_get_plan_for_owner(pk), archived=request.POST.get("archived") != "0")
    if plan.is_archived:
        messages.success(request, _("Plan “%(name)s” archived: it is no longer sold.") % {"name": plan.name})
    else:
        messages.success(request, _("Plan “%(name)s” restored.") % {"name": plan.name})
    return redirect("dashboard:plans")


@owner_required
@require_http_methods(["GET", "POST"])
def client_plans(request: HttpRequest, pk: int) -> HttpResponse:
    """One client's packs (credits left, end) and what each paid for; POST gives or sells a pack
    or starts a membership (each kind has its form)."""
    client = _get_client_for_owner(pk)
    form, status = None, 200
    if request.method == "POST":
        form = _give_form(GivePlanForm.kind_posted(request.POST), request.POST)
        if form.is_valid():
            try:
                pack = give_plan(client=client, by=request.user, **form.give_arguments())
            except PlanError as error:
                form.add_error("plan", error.message)
            else:
                messages.success(
                    request, _("“%(name)s” added to the client's plans.") % {"name": pack.plan.name}
                )
                return redirect("dashboard:client_plans", pk=client.pk)
        status = 400
    return client_plans_page(request, client, form=form, status=status)


def _give_form(kind: str, data=None) -> GivePlanForm:
    return GivePlanForm(data, kind=kind, auto_id=f"give-{kind}-%s")


def _packs_with_their_orders(client: Client) -> list:
    """The client's packs; one bought online with its order's payment and refunds (two queries)."""
    packs = client_plans_of(client).exclude(plan__kind=PlanKind.MEMBERSHIP).select_related("order__payment")
    return list(packs.prefetch_related("order__payment__refunds"))


def client_plans_page(
    request: HttpRequest, client: Client, *, form=None, failed=None, status: int = 200
) -> HttpResponse:
    """The client's Plans page; ``form`` is a give form sent with errors, ``failed`` is
    (membership id, its bound form with errors)."""
    give_forms = {kind: _give_form(kind) for kind in (PlanKind.PACK, PlanKind.MEMBERSHIP)}
    if form is not None:
        give_forms[form.plan_kind] = form
    context = {
        "client": client,
        "business": Business.current(),
        "packs": _packs_with_their_orders(client),
        "memberships": memberships_of(client, failed=failed),
        "uses": Paginator(credit_uses_of(client), USES_PER_PAGE).get_page(request.GET.get("page")),
        "pack_form": give_forms[PlanKind.PACK],
        "membership_form": give_forms[PlanKind.MEMBERSHIP],
        "plans_to_give": set(plans_to_give().values_list("kind", flat=True)),
        "now": timezone.now(),
    }
    return render_page(
        request, "dashboard/plans/client_plans.html", context, fragment="dialog", status=status
    )
