"""An automation's summary: the sentence, its run log, and "what would happen" on a recent event."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bookings_app.models import Business, DomainEvent
from bookings_app.web.access import owner_required
from bookings_app.web.pages import render_page
from bookings_app.web.request_input import positive_id

from .. import dry_run, selectors
from ..email_preview import example_wording
from ..models import RunStatus
from ..summary import summarize
from .dashboard_access import get_automation_for_owner

PER_PAGE = 25
SUMMARY = "automations/dashboard/summary.html"


@owner_required
@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Readable for a deleted automation too: its history stays."""
    automation = get_automation_for_owner(pk, deleted_too=True)
    status = request.GET.get("status", "")
    runs = Paginator(selectors.run_log(automation=automation, status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    emails = selectors.emails_by_run([run.pk for run in runs.object_list])
    for run in runs.object_list:
        run.emails = emails.get(run.pk, [])
    context = {
        "automation": automation,
        "sentence": summarize(
            automation,
            wording=example_wording(service_ids=[service.pk for service in automation.services.all()]),
        ),
        "page": runs,
        "status": status,
        "statuses": RunStatus.choices,
        "events": dry_run.recent_events(automation),
        "business": Business.current(),
    }
    return render_page(request, SUMMARY, context, fragment="log")


@owner_required
@require_GET
def what_would_happen(request: HttpRequest, pk: int) -> HttpResponse:
    """The automation tried on one recent event: reads only, sends and writes nothing."""
    automation = get_automation_for_owner(pk, deleted_too=True)
    event_id = positive_id(request.GET.get("event"))
    event = DomainEvent.objects.filter(pk=event_id).first() if event_id else None
    context = {"automation": automation, "event": event, "business": Business.current()}
    if event is None:
        context["nothing"] = ""
        return render(request, "automations/dashboard/_what_would_happen.html", context, status=400)
    context["nothing"], context["verdicts"] = dry_run.try_event(automation, event)
    return render(request, "automations/dashboard/_what_would_happen.html", context)
