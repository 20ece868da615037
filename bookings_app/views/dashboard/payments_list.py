"""The owner's payments list: every charge and refund of the ledger, filtered, searched, paged,
totalled per currency, and exported as CSV or Excel (docs/payments.md)."""

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ...display.payments_export import ExportTooLarge, csv_chunks, write_xlsx
from ...forms.payments_list import PaymentFilterForm
from ...models import Business
from ...selectors.payments_list import ledger_for_list, ledger_totals
from ...web.access import owner_required
from ...web.pages import render_page

PER_PAGE = 25
LIST = "dashboard/payments/list.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@owner_required
@require_GET
def payments(request: HttpRequest) -> HttpResponse:
    """Every charge and refund, newest first; an invalid filter is shown with its error and
    narrows nothing (answered 400)."""
    business = Business.current()
    filters = PaymentFilterForm(request.GET)
    filters.is_valid()
    entries = ledger_for_list(filters.cleaned_data, tz=business.tz)
    context = {
        "filters": filters,
        "page": Paginator(entries, PER_PAGE).get_page(request.GET.get("page")),
        "totals": ledger_totals(entries),
        "business": business,
        "export_query": request.GET.urlencode() if not filters.errors else "",
    }
    return render_page(request, LIST, context, fragment="table", status=400 if filters.errors else 200)


@owner_required
@require_GET
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The filtered list as ``csv`` or ``xlsx``; invalid filters are refused (400) rather than
    exporting more than the owner asked for."""
    if file_format not in ("csv", "xlsx"):
        return HttpResponse(_("Choose CSV or Excel."), status=404, content_type="text/plain")
    filters = PaymentFilterForm(request.GET)
    if not filters.is_valid():
        return HttpResponse(
            _("These filters are not valid; correct them on the payments page first."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    tz = Business.current().tz
    entries = ledger_for_list(filters.cleaned_data, tz=tz)
    name = f"payments-{timezone.localtime(timezone.now(), tz):%Y-%m-%d-%H%M}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(csv_chunks(entries, tz=tz), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    target = tempfile.TemporaryFile()
    try:
        write_xlsx(entries, target, tz=tz)
    except ExportTooLarge:
        target.close()
        return HttpResponse(
            _("Too many payments for one Excel file: narrow the dates, or export as CSV."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=name, content_type=XLSX)
