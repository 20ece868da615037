"""The owner's list of automations and the verbs of its "More actions" menu."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings_app.models import Business
from bookings_app.web.access import owner_required
from bookings_app.web.pages import render_page

from .. import selectors, services
from ..summary import trigger_phrase
from .dashboard_access import get_automation_for_owner

PER_PAGE = 20
LIST = "automations/dashboard/list.html"


@owner_required
@require_GET
def automation_list(request: HttpRequest) -> HttpResponse:
    """Every automation with its trigger in words, its switch, last run and runs in 30 days."""
    search = request.GET.get("q", "").strip()[:100]
    automations = selectors.automations_for_list(search=search).prefetch_related("services")
    page = Paginator(automations, PER_PAGE).get_page(request.GET.get("page"))
    for automation in page.object_list:
        services_named = [service.name for service in automation.services.all()]
        automation.trigger_words = trigger_phrase(
            automation.trigger, automation.trigger_params, services_named
        )
    context = {"page": page, "q": search, "business": Business.current()}
    return render_page(request, LIST, context, fragment="table")


@owner_required
@require_POST
def toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """The on/off switch: HTMX swaps the switch, a plain form comes back to the list."""
    automation = get_automation_for_owner(pk)
    services.set_active(automation=automation, active=request.POST.get("active") == "1")
    if request.htmx:
        return render(request, f"{LIST}#switch", {"automation": automation})
    return redirect("automations_dashboard:list")


@owner_required
@require_http_methods(["GET", "POST"])
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    """Inline rename: GET gives the little form in place of the name, POST saves it."""
    automation = get_automation_for_owner(pk)
    error = ""
    if request.method == "POST":
        try:
            services.rename_automation(automation=automation, name=request.POST.get("name", ""))
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            if request.htmx:
                return render(request, f"{LIST}#name", {"automation": automation})
            return redirect("automations_dashboard:list")
    context = {"automation": automation, "error": error}
    return render_page(
        request, "automations/dashboard/rename.html", context, fragment="form", status=400 if error else 200
    )


@owner_required
@require_POST
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    copy = services.duplicate_automation(automation=get_automation_for_owner(pk))
    messages.success(
        request, _("“%(name)s” was made. It is off until you switch it on.") % {"name": copy.name}
    )
    return redirect("automations_dashboard:edit", pk=copy.pk)


@owner_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes softly (the run log stays readable)."""
    automation = get_automation_for_owner(pk)
    if request.method == "POST":
        services.delete_automation(automation=automation)
        messages.success(
            request, _("“%(name)s” was deleted. Its run log stays readable.") % {"name": automation.name}
        )
        return redirect("automations_dashboard:list")
    return render(request, "automations/dashboard/delete.html", {"automation": automation})
