"""The team's tasks, made by the "create a task" action: a list to tick off (owner only)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from bookings_app.models import Business
from bookings_app.web.access import owner_required
from bookings_app.web.pages import render_page

from .. import selectors, services
from ..builder_fields import team_choices
from ..models import Task

PER_PAGE = 25
TASKS = "automations/dashboard/tasks.html"


@owner_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    assignee = request.GET.get("assignee", "")
    search = request.GET.get("q", "").strip()[:100]
    tasks = selectors.tasks_for_list(state=state, assignee=assignee, search=search)
    page = Paginator(tasks, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "assignee": assignee,
        "q": search,
        "team": team_choices(),
        "business": Business.current(),
    }
    return render_page(request, TASKS, context, fragment="table")


@owner_required
@require_POST
def tick(request: HttpRequest, pk: int) -> HttpResponse:
    """Done or not done, without a reload: HTMX swaps the task's row."""
    task = get_object_or_404(Task.objects.select_related("assignee", "client"), pk=pk)
    services.set_task_done(task=task, done=request.POST.get("done") == "1")
    if request.htmx:
        return render(request, f"{TASKS}#row", {"task": task, "business": Business.current()})
    return redirect("automations_tasks:list")
