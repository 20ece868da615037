"""The owner's other list pages (services, staff, sent e-mails) as their filters ask, and a
service's schedule tab."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ..models import ClassSchedule, OutgoingEmail, Service, ServiceKind, Session, SessionStatus, StaffMember


def services_for_list(wanted: dict) -> QuerySet[Service]:
    """Services whose name holds ``q``, of ``kind``, archived ones only with ``archived``; by
    position, with their staff by name."""
    rows = Service.objects.prefetch_related(
        Prefetch("staff", queryset=StaffMember.objects.order_by("name", "pk"))
    )
    if wanted.get("q"):
        rows = rows.filter(name__icontains=wanted["q"])
    if wanted.get("kind"):
        rows = rows.filter(kind=wanted["kind"])
    if not wanted.get("archived"):
        rows = rows.filter(is_archived=False)
    return rows.order_by("position", "name", "pk")


def sent_emails_for_list(wanted: dict) -> QuerySet[OutgoingEmail]:
    """Stored e-mails of ``status`` and ``kind`` whose recipient or subject holds every word of
    ``q``, newest first, without their bodies."""
    emails = OutgoingEmail.objects.defer("body_text", "body_html", "attachments", "headers")
    if wanted.get("status"):
        emails = emails.filter(status=wanted["status"])
    if wanted.get("kind"):
        emails = emails.filter(kind=wanted["kind"])
    for word in (wanted.get("q") or "").split():
        emails = emails.filter(Q(to__icontains=word) | Q(subject__icontains=word))
    return emails.order_by("-created_at", "-pk")


def staff_for_list(query: str = "") -> QuerySet[StaffMember]:
    """Staff members whose name or e-mail holds ``query``, by name, each with ``service_count``
    (the services they give that are not archived)."""
    members = StaffMember.objects.annotate(
        service_count=Count("services", filter=Q(services__is_archived=False))
    )
    if query:
        members = members.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return members.order_by("name", "pk")


def class_schedules(service: Service) -> list[ClassSchedule]:
    """The service's weekly rules, oldest first, each with its staff member and ``session_count``."""
    rules = service.schedules.select_related("staff").annotate(session_count=Count("sessions"))
    return list(rules.order_by("pk"))


def coming_sessions(service: Service) -> QuerySet[Session]:
    """The service's scheduled sessions still to come (a course's: all of them), soonest first."""
    sessions = service.sessions.filter(status=SessionStatus.SCHEDULED)
    if service.kind != ServiceKind.COURSE:
        sessions = sessions.filter(start__gte=timezone.now())
    return sessions.select_related("staff").order_by("start")
