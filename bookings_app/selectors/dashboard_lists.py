"""The owner's other list pages: services and sent e-mails, as their filters ask."""

from django.db.models import Prefetch, Q, QuerySet

from ..models import OutgoingEmail, Service, StaffMember


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
