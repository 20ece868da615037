"""Read-side queries of the automations dashboard: the list, a run log, the team's tasks."""

from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from bookings_app.models import OutgoingEmail
from bookings_app.selectors import client_matches, search_words
from bookings_app.web.request_input import positive_id

from .models import Automation, Run, RunStatus, Task


def automations_for_list(*, search: str = "", now: datetime | None = None) -> QuerySet[Automation]:
    """Live (not deleted) automations with their last run and their runs of the last 30 days."""
    since = (now or timezone.now()) - timedelta(days=30)
    automations = Automation.objects.filter(deleted_at__isnull=True).annotate(
        last_run_at=Max("runs__created_at"),
        runs_30_days=Count("runs", filter=Q(runs__created_at__gte=since)),
    )
    for word in search.split():
        automations = automations.filter(name__icontains=word)
    return automations.order_by("name", "pk")


def run_log(*, automation: Automation, status: str = "") -> QuerySet[Run]:
    """The automation's runs, newest first, with what the log shows of each."""
    runs = Run.objects.filter(automation=automation).select_related("client").prefetch_related("outcomes")
    if status in RunStatus.values:
        runs = runs.filter(status=status)
    return runs.order_by("-created_at", "-pk")


def emails_by_run(run_ids: list[int]) -> dict[int, list[OutgoingEmail]]:
    """The e-mails the runs' actions queued (their dedupe keys start "run:<id>:"), by run."""
    if not run_ids:
        return {}
    keys = Q()
    for run_id in run_ids:
        keys |= Q(dedupe_key__startswith=f"run:{run_id}:")
    found: dict[int, list[OutgoingEmail]] = {}
    emails = OutgoingEmail.objects.filter(keys).only("pk", "to", "subject", "status", "dedupe_key")
    for email in emails.order_by("pk"):
        found.setdefault(int(email.dedupe_key.split(":")[1]), []).append(email)
    return found


def tasks_for_list(*, state: str = "open", assignee: str = "", search: str = "") -> QuerySet[Task]:
    """Open (or done, or all) tasks, by due date; ``assignee`` is a user id or "none"; every word
    of ``search`` is in the title, the notes or the client (the client search's rule)."""
    tasks = Task.objects.select_related("assignee", "client")
    if state == "open":
        tasks = tasks.filter(done_at__isnull=True)
    elif state == "done":
        tasks = tasks.filter(done_at__isnull=False)
    if assignee == "none":
        tasks = tasks.filter(assignee__isnull=True)
    elif (assignee_id := positive_id(assignee)) is not None:
        tasks = tasks.filter(assignee_id=assignee_id)
    for word in search_words(search):
        tasks = tasks.filter(
            Q(title__icontains=word) | Q(notes__icontains=word) | client_matches(word, through="client__")
        )
    return tasks.order_by("done_at", "due_date", "pk")
