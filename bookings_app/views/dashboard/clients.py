"""The owner's Clients pages: the searchable list, one client's record, CSV export and import."""

import secrets

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...forms.people import ClientDetailsForm, ClientImportForm, ClientSearchForm, LabelForm, NotesForm
from ...models import Business, Client, Label
from ...plug_ins.client_panels import client_columns_for, client_panels_for
from ...selectors import (
    booking_history,
    client_totals,
    clients_for_export,
    clients_for_list,
    upcoming_bookings,
)
from ...services import client_records
from ...services.client_csv import ClientRow, CsvRefused, client_csv_lines, parse_client_file
from ...web.access import owner_required
from ...web.pages import render_page

PER_PAGE = 25
IMPORT_SESSION_KEY = "client_import"
REJECTIONS_SHOWN = 200
TEMPLATE = "dashboard/clients/client.html"
LIST = "dashboard/clients/list.html"


def _get_client_for_owner(pk: int) -> Client:
    """Any client, for the owner (the decorator has checked the role)."""
    return get_object_or_404(Client, pk=pk)


def _search(search: ClientSearchForm) -> dict:
    """The search box and label asked for (an invalid one does not narrow the list)."""
    search.is_valid()
    return {"query": search.cleaned_data.get("q") or "", "label": search.cleaned_data.get("label")}


@owner_required
@require_GET
def clients(request: HttpRequest) -> HttpResponse:
    """Every client, searched live as the owner types; 25 a page."""
    search = ClientSearchForm(request.GET)
    found = clients_for_list(**_search(search))
    columns = client_columns_for(request)
    for column in columns:
        found = column.annotate(found)
    ordered = found.order_by("first_name", "last_name", "pk")
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    for client in page.object_list:
        client.column_cells = [
            (getattr(client, column.key), reverse(column.url_name, args=[client.pk])) for column in columns
        ]
    context = {
        "search": search,
        "page": page,
        "business": Business.current(),
        "client_panels": client_panels_for(request),
        "client_columns": columns,
    }
    return render_page(request, LIST, context, fragment="table")


@owner_required
@require_GET
def clients_export(request: HttpRequest) -> StreamingHttpResponse:
    """The clients of the current search and label, as CSV, streamed."""
    found = clients_for_export(**_search(ClientSearchForm(request.GET)))
    lines = client_csv_lines(found.iterator(chunk_size=500), tz=Business.current().tz)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clients-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def _client_context(request: HttpRequest, client: Client, **forms) -> dict:
    history: Page = Paginator(booking_history(client), PER_PAGE).get_page(request.GET.get("page"))
    return {
        "client": client,
        "business": Business.current(),
        "client_panels": client_panels_for(request),
        "labels": list(client.labels.all()),
        "label_names": Label.objects.values_list("name", flat=True),
        "upcoming": upcoming_bookings(client),
        "history": history,
        "totals": client_totals(client),
        "details_form": forms.get("details_form")
        or ClientDetailsForm(
            initial={
                "first_name": client.first_name,
                "last_name": client.last_name,
                "email": client.email,
                "phone": client.phone,
                "language": client.language,
            }
        ),
        "label_form": forms.get("label_form") or LabelForm(),
        "notes_form": forms.get("notes_form") or NotesForm(initial={"notes": client.notes}),
    }


def _client_page(
    request: HttpRequest, client: Client, *, partial: str = "", status: int = 200, **forms
) -> HttpResponse:
    """The client's page, or only its ``partial`` for an HTMX request."""
    return render_page(
        request, TEMPLATE, _client_context(request, client, **forms), fragment=partial, status=status
    )


@owner_required
@require_GET
def client(request: HttpRequest, pk: int) -> HttpResponse:
    """One client: contact details, labels, notes, upcoming bookings, history and totals."""
    return _client_page(request, _get_client_for_owner(pk), partial="history")


@owner_required
@require_POST
def client_details(request: HttpRequest, pk: int) -> HttpResponse:
    client = _get_client_for_owner(pk)
    form = ClientDetailsForm(request.POST)
    if form.is_valid():
        try:
            client_records.update_client_details(client=client, **form.cleaned_data)
        except client_records.EmailTaken as e:
            form.add_error("email", e.message)
    if not form.is_valid():
        return _client_page(request, client, partial="details", status=400, details_form=form)
    messages.success(request, _("Contact details saved."))
    if not request.htmx:
        return redirect("dashboard:client", pk=client.pk)
    return _client_page(request, client, partial="details")


@owner_required
@require_POST
def client_label_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = _get_client_for_owner(pk)
    form = LabelForm(request.POST)
    if form.is_valid():
        try:
            client_records.add_client_label(client=client, name=form.cleaned_data["name"])
        except client_records.ClientRecordError as e:
            form.add_error("name", e.message)
    if not form.is_valid():
        return _client_page(request, client, partial="labels", status=400, label_form=form)
    if not request.htmx:
        return redirect("dashboard:client", pk=client.pk)
    return _client_page(request, client, partial="labels")


@owner_required
@require_POST
def client_label_remove(request: HttpRequest, pk: int, label_id: int) -> HttpResponse:
    client = _get_client_for_owner(pk)
    client_records.remove_client_label(client=client, label=get_object_or_404(Label, pk=label_id))
    if not request.htmx:
        return redirect("dashboard:client", pk=client.pk)
    return _client_page(request, client, partial="labels")


@owner_required
@require_POST
def client_notes(request: HttpRequest, pk: int) -> HttpResponse:
    client = _get_client_for_owner(pk)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _client_page(request, client, partial="notes", status=400, notes_form=form)
    client_records.set_client_notes(client=client, notes=form.cleaned_data["notes"])
    messages.success(request, _("Notes saved."))
    if not request.htmx:
        return redirect("dashboard:client", pk=client.pk)
    saved = NotesForm(initial={"notes": client.notes})
    return _client_page(request, client, partial="notes", notes_form=saved)


@owner_required
@require_http_methods(["GET", "POST"])
def clients_import(request: HttpRequest) -> HttpResponse:
    """Step 1 and 2 of an import: upload a CSV file, then see what it would do."""
    form = ClientImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return render(request, "dashboard/clients/import.html", {"form": form})
    if form.is_valid():
        try:
            parsed = parse_client_file(form.cleaned_data["file"])
        except CsvRefused as e:
            form.add_error("file", e.message)
    if not form.is_valid():
        return render(request, "dashboard/clients/import.html", {"form": form}, status=400)
    known = client_records.existing_clients_by_email(row.email for row in parsed.rows)
    import_id = secrets.token_urlsafe(12)
    request.session[IMPORT_SESSION_KEY] = {"id": import_id, "rows": [row.as_dict() for row in parsed.rows]}
    updated = sum(1 for row in parsed.rows if row.email in known)
    return render(
        request,
        "dashboard/clients/import_preview.html",
        {
            "import_id": import_id,
            "filename": form.cleaned_data["file"].name,
            "created": len(parsed.rows) - updated,
            "updated": updated,
            "importable": len(parsed.rows),
            "rejections": parsed.rejections[:REJECTIONS_SHOWN],
            "rejected": len(parsed.rejections),
            "more_rejections": max(len(parsed.rejections) - REJECTIONS_SHOWN, 0),
        },
    )


@owner_required
@require_POST
def clients_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 3: import the previewed rows, all or none; a second click finds nothing left to import."""
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("id") != request.POST.get("import_id"):
        messages.error(request, _("This preview has expired. Upload the file again."))
        return redirect("dashboard:clients_import")
    try:
        counts = client_records.import_clients(rows=[ClientRow.from_dict(row) for row in stored["rows"]])
    except client_records.ImportOutdated as e:
        messages.error(request, e.message)
        return redirect("dashboard:clients_import")
    del request.session[IMPORT_SESSION_KEY]
    created = ngettext("%(count)s client created.", "%(count)s clients created.", counts.created)
    updated = ngettext("%(count)s client updated.", "%(count)s clients updated.", counts.updated)
    messages.success(
        request, " ".join([created % {"count": counts.created}, updated % {"count": counts.updated}])
    )
    return redirect("dashboard:clients")
