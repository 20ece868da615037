"""New automation (gallery or scratch) and the builder, one page read top to bottom."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from bookings_app.web.access import owner_required
from bookings_app.web.pages import render_page

from .. import gallery
from ..builder_fields import builder_context
from ..drafts import Draft
from ..models import Automation
from .dashboard_access import get_automation_for_owner

BUILDER = "automations/dashboard/builder.html"


@owner_required
@require_GET
def new(request: HttpRequest) -> HttpResponse:
    """Start from scratch, or from a template of the gallery (searchable, popular first)."""
    search = request.GET.get("q", "").strip()[:100]
    popular, others = gallery.sections(search)
    context = {"q": search, "popular": popular, "templates": others}
    return render_page(request, "automations/dashboard/gallery.html", context, fragment="templates")


@owner_required
@require_http_methods(["GET", "POST"])
def build(request: HttpRequest) -> HttpResponse:
    """A new automation; ``?template=<key>`` opens a gallery template pre-filled."""
    if request.method == "GET":
        chosen = gallery.find(request.GET.get("template", ""))
        draft = Draft.from_dict(chosen.as_draft()) if chosen else Draft()
        return _render(request, draft, {}, automation=None)
    return _step(request, automation=None)


@owner_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    automation = get_automation_for_owner(pk)
    if request.method == "GET":
        return _render(request, Draft.from_automation(automation), {}, automation=automation)
    return _step(request, automation=automation)


def _step(request: HttpRequest, *, automation: Automation | None) -> HttpResponse:
    """Apply one builder step; "save" / "activate" save through the services or show what is missing."""
    draft = Draft.from_post(request.POST)
    step = request.POST.get("op", "validate")
    if step not in ("save", "activate", "validate"):
        draft.apply(step)
        return _render(request, draft, {}, automation=automation)
    if step == "validate":
        return _render(request, draft, draft.problems_so_far(), automation=automation)
    problems = draft.problems()
    if not problems:
        try:
            saved = draft.save(automation=automation, activate=step == "activate")
        except ValidationError as error:
            problems = {"form": error.messages}
        else:
            messages.success(
                request, _("The automation is on.") if saved.is_active else _("Saved. It is off.")
            )
            url = reverse("automations_dashboard:summary", args=[saved.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return _render(request, draft, problems, automation=automation, refused=True)


def _render(
    request: HttpRequest,
    draft: Draft,
    problems: dict,
    *,
    automation: Automation | None,
    refused: bool = False,
) -> HttpResponse:
    context = {
        **builder_context(draft, problems),
        "automation": automation,
        "refused": refused,
        "post_url": reverse("automations_dashboard:edit", args=[automation.pk])
        if automation
        else reverse("automations_dashboard:build"),
    }
    return render_page(request, BUILDER, context, fragment="builder", status=400 if refused else 200)
