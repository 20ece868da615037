"""The owner's loyalty pages: program settings with a preview, a service's Loyalty tab, and a
client's points history (a dialog opened from the clients list or the points report).

Every page but the settings is a 404 while the program is off.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings_app.models import Business, Client, Service
from bookings_app.web.access import owner_required
from bookings_app.web.pages import render_page

from .. import services, wording
from ..errors import LoyaltyError
from ..forms_dashboard import ProgramSettingsForm, ServicePointsForm
from ..models import Program
from ..selectors import a_connected_service_name, balance_of, program_on, service_points_of
from ..selectors import client_history as history_of

HISTORY_PAGE_SIZE = 20
SERVICE_TAB = "loyalty"


def program_is_on(request: HttpRequest | None = None) -> bool:
    """One query, creating nothing; remembered on the request (the clients list asks per row)."""
    if request is not None and hasattr(request, "_loyalty_dashboard_on"):
        return request._loyalty_dashboard_on
    on = program_on()
    if request is not None:
        request._loyalty_dashboard_on = on
    return on


def owner_with_program_on(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Owners only (others: login or 403), and a 404 while the program is off."""

    @owner_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not program_is_on(request):
            raise Http404("The loyalty program is off.")
        return view(request, *args, **kwargs)

    return wrapper


@owner_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The sidebar's "Loyalty": the points report, or the settings while the program is off."""
    return redirect("loyalty_dashboard:report" if program_is_on() else "loyalty_dashboard:settings")


@owner_required
@require_http_methods(["GET", "POST"])
def program_settings(request: HttpRequest) -> HttpResponse:
    """The switch, the credit delay and the two notification texts with their preview."""
    program = Program.current()
    posted = request.POST if request.method == "POST" else None
    form = ProgramSettingsForm(posted, instance=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_program_settings(**data)
        messages.success(request, _("Loyalty settings saved."))
        return redirect("loyalty_dashboard:settings")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "program": program,
        "loyalty_off": not program.is_enabled,
        "variables": wording.VARIABLES,
        **_previews(form),
    }
    return render(request, "loyalty/dashboard/settings.html", context, status=status)


@owner_required
@require_POST
def settings_preview(request: HttpRequest) -> HttpResponse:
    """The two e-mails as the client would read them, with the texts being typed (HTMX)."""
    form = ProgramSettingsForm(request.POST, instance=Program.current())
    return render(request, "loyalty/dashboard/settings.html#preview", {"form": form, **_previews(form)})


def _previews(form: ProgramSettingsForm) -> dict:
    """Rendered subject and body of both e-mails with sample values; a broken text shows its error."""
    texts = {
        field: (form.data.get(field, "") if form.is_bound else form.initial.get(field, "")) or ""
        for field in (
            "template_points_earned_subject",
            "template_points_earned_body",
            "template_balance_changed_subject",
            "template_balance_changed_body",
        )
    }
    business = Business.current()
    sample = {
        "client_name": "Alice Martin",
        "client_first_name": "Alice",
        "balance": 120,
        "business_name": business.name,
        "description": _("Welcome bonus"),
        "service_name": _sample_service_name(),
    }
    earned = _preview(
        texts["template_points_earned_subject"],
        texts["template_points_earned_body"],
        wording.POINTS_EARNED_DEFAULT,
        {**sample, "points": 10, "description": ""},
    )
    changed = _preview(
        texts["template_balance_changed_subject"],
        texts["template_balance_changed_body"],
        wording.BALANCE_CHANGED_DEFAULT,
        {**sample, "points": "+20", "service_name": ""},
    )
    return {"preview_earned": earned, "preview_changed": changed}


def _preview(subject: str, body: str, default: wording.Wording, values: dict) -> dict:
    try:
        for text in (subject, body):
            wording.validate_template(text)
    except ValidationError as e:
        return {"error": " ".join(e.messages)}
    return {
        "subject": wording.render_template(wording.effective(subject, default.subject), values),
        "body_html": wording.body_html(
            wording.render_template(wording.effective(body, default.body), values)
        ),
    }


def _sample_service_name() -> str:
    return a_connected_service_name() or _("Yoga")


def service_loyalty_tab(request: HttpRequest, service: Service) -> dict | HttpResponse:
    """The Loyalty tab of a service: connected or not, and the points each booking earns."""
    current = service_points_of(service)
    initial = {
        "earns_points": bool(current and current.is_enabled),
        "points": current.points if current else None,
    }
    posted = request.POST if request.method == "POST" else None
    form = ServicePointsForm(posted, initial=initial)
    context = {"loyalty_form": form, "program_on": program_is_on()}
    if request.method != "POST":
        return context
    if form.is_valid():
        try:
            services.connect_service(service=service, **form.cleaned_data)
        except LoyaltyError as e:
            form.add_error("points", e.message)
        else:
            messages.success(request, _("Loyalty settings of this service saved."))
            return redirect(f"{reverse('dashboard:service', args=[service.pk])}?tab={SERVICE_TAB}")
    return {**context, "status": 400}


@owner_with_program_on
@require_GET
def client_history(request: HttpRequest, pk: int) -> HttpResponse:
    """One client's balance and entries, newest first, 20 a page; a dialog for HTMX requests."""
    client = get_object_or_404(Client, pk=pk)
    page = Paginator(history_of(client), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"client": client, "balance": balance_of(client), "page": page, "business": Business.current()}
    return render_page(request, "loyalty/dashboard/history.html", context, fragment="dialog")
