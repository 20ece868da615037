"""The points report: filters, totals and pages; adding or deducting points by hand; exports
built by a worker with a progress bar, downloadable only by the owner who asked for them."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings_app.models import Business, Client
from bookings_app.selectors import client_picker
from bookings_app.web.pages import render_page
from bookings_app.web.request_input import positive_id

from .. import services
from ..errors import InsufficientPoints, LoyaltyError
from ..forms_dashboard import AdjustPointsForm, PointsReportFilterForm
from ..models import ExportFormat, ExportStatus, PointsExport
from ..selectors import balance_of, points_report_page, points_report_totals, recent_exports
from ..services.report_exports import export_path
from .dashboard import owner_with_program_on

REPORT = "loyalty/dashboard/report.html"
ADJUST = "loyalty/dashboard/adjust.html"
EXPORTS_SHOWN = 5


def _get_export_for_owner(request: HttpRequest, pk: int) -> PointsExport:
    """An export the signed-in owner asked for; another owner's is a 404, as if it did not exist."""
    return get_object_or_404(PointsExport, pk=pk, requested_by=request.user)


@owner_with_program_on
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Every ledger entry matching the filters, newest first, 50 a page, with the totals."""
    filter_form = PointsReportFilterForm(request.GET)
    filters = filter_form.filters()
    totals = points_report_totals(filters)
    page = points_report_page(filters, page_number=request.GET.get("page") or 1, count=totals.entries)
    context = {
        "filter_form": filter_form,
        "chosen_client": filter_form.cleaned_data.get("client"),
        "page": page,
        "totals": totals,
        "business": Business.current(),
        "exports": recent_exports(request.user, limit=EXPORTS_SHOWN),
    }
    return render_page(request, REPORT, context, fragment="table")


@owner_with_program_on
@require_GET
def client_search(request: HttpRequest) -> HttpResponse:
    """The client picker's results (HTMX): radio buttons named ``client``."""
    search = request.GET.get("client_q", "")
    context = {
        "found": client_picker(search),
        "searched": bool(search.strip()),
        "allow_all": request.GET.get("mode") == "filter",
    }
    return render(request, "loyalty/dashboard/_client_picker.html#results", context)


@owner_with_program_on
@require_http_methods(["GET", "POST"])
def adjust(request: HttpRequest) -> HttpResponse:
    """Add or deduct points for one client; a dialog over the report, or a page without JavaScript."""
    initial_client = _client_from_query(request)
    posted = request.POST if request.method == "POST" else None
    form = AdjustPointsForm(posted, initial={"client": initial_client})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.adjust_points(
                client=form.cleaned_data["client"],
                points=form.cleaned_data["points"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except InsufficientPoints:
            form.add_error(
                "points",
                _("%(client)s has only %(balance)d points: deduct at most that.")
                % {
                    "client": form.cleaned_data["client"],
                    "balance": balance_of(form.cleaned_data["client"]),
                },
            )
        except LoyaltyError as e:
            form.add_error("points", e.message)
        else:
            return _adjusted(request, entry)
    chosen = form.cleaned_data.get("client") if form.is_bound else initial_client
    context = {
        "form": form,
        "chosen_client": chosen,
        "chosen_balance": balance_of(chosen) if chosen else None,
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, ADJUST, context, fragment="dialog", status=status)


def _client_from_query(request: HttpRequest) -> Client | None:
    """The client preselected by a row's "Add extra bonus" (``?client=<id>``)."""
    client_id = positive_id(request.GET.get("client"))
    return Client.objects.filter(pk=client_id).first() if client_id else None


def _adjusted(request: HttpRequest, entry) -> HttpResponse:
    done = _("%(points)+d points for %(client)s. New balance: %(balance)d. They were told by e-mail.") % {
        "points": entry.points,
        "client": entry.client,
        "balance": entry.balance_after,
    }
    if not request.htmx:
        messages.success(request, done)
        return redirect("loyalty_dashboard:report")
    response = render(request, f"{ADJUST}#done", {"done": done})
    response["HX-Trigger"] = "points-changed"
    return response


@owner_with_program_on
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    """Queue an export of the filtered report; the page shows its progress."""
    file_format = request.POST.get("format")
    if file_format not in ExportFormat.values:
        return HttpResponse(_("Choose CSV or Excel."), status=400)
    filters = PointsReportFilterForm(request.POST).filters()
    services.request_points_export(by=request.user, file_format=file_format, filters=filters)
    if not request.htmx:
        messages.success(request, _("Your export is being prepared."))
        return redirect(f"{reverse('loyalty_dashboard:report')}#exports")
    exports = recent_exports(request.user, limit=EXPORTS_SHOWN)
    return render(request, f"{REPORT}#exports", {"exports": exports})


@owner_with_program_on
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One export's progress bar (polled while it runs) or its download link."""
    return render(request, f"{REPORT}#export_row", {"export": _get_export_for_owner(request, pk)})


@owner_with_program_on
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _get_export_for_owner(request, pk)
    path = export_path(export) if export.file_name else None
    if path is None or export.status != ExportStatus.DONE or not path.exists():
        raise Http404("This export is not ready.")
    name = f"points-{export.created_at:%Y-%m-%d-%H%M}.{export.file_format}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
