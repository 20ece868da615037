"""Read-side queries shared by the public pages and the JSON API.

Each returns everything its page needs in a fixed number of queries, whatever the number of
staff, sessions or bookings.
"""

from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import (
    LIVE_STATUSES,
    Booking,
    Business,
    OutgoingEmail,
    Service,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
)

UPCOMING_CLASS_DAYS = 30


def bookable_services() -> QuerySet[Service]:
    """Online, not archived services, each with its active staff prefetched (two queries)."""
    active_staff = StaffMember.objects.filter(is_active=True).order_by("name", "pk")
    return (
        Service.objects.filter(is_online=True, is_archived=False)
        .order_by("position", "name")
        .prefetch_related(Prefetch("staff", queryset=active_staff, to_attr="active_staff"))
    )


def services_by_kind(services: list[Service]) -> list[tuple[str, list[Service]]]:
    """(kind, services) in the order appointments, classes, courses; empty kinds left out."""
    groups = []
    for kind in ServiceKind:
        members = [service for service in services if service.kind == kind]
        if members:
            groups.append((kind.value, members))
    return groups


def bookable_service(slug: str) -> Service | None:
    """The online, not archived service at ``slug``, or None."""
    return bookable_services().filter(slug=slug).first()


def active_staff(service: Service) -> list[StaffMember]:
    """The service's active staff, by name: prefetched by ``bookable_services``, else one query."""
    if hasattr(service, "active_staff"):
        return service.active_staff
    return list(service.staff.filter(is_active=True).order_by("name", "pk"))


def service_staff_member(service: Service, staff_id: int) -> StaffMember | None:
    """An active staff member of ``service`` with this id, or None."""
    return next((member for member in active_staff(service) if member.pk == staff_id), None)


def scheduled_sessions(
    *, service: Service, since: datetime, until: datetime | None = None, staff: StaffMember | None = None
) -> list[Session]:
    """Scheduled sessions of a class or course starting in [since, until), with their staff."""
    sessions = Session.objects.filter(service=service, status=SessionStatus.SCHEDULED, start__gte=since)
    if until is not None:
        sessions = sessions.filter(start__lt=until)
    if staff is not None:
        sessions = sessions.filter(staff=staff)
    return list(sessions.select_related("staff").order_by("start", "pk"))


def upcoming_class_sessions(
    *, service: Service, business: Business, now: datetime | None = None, exclude: Session | None = None
) -> list[Session]:
    """The class's sessions a client may still book: after the minimum notice, for the next 30 days."""
    now = now or timezone.now()
    until = min(now + timedelta(days=UPCOMING_CLASS_DAYS), now + timedelta(days=business.max_advance_days))
    sessions = scheduled_sessions(service=service, since=now + business.min_notice, until=until)
    return [session for session in sessions if exclude is None or session.pk != exclude.pk]


def course_sessions(service: Service) -> list[Session]:
    """Every scheduled session of a course, first first."""
    sessions = service.sessions.filter(status=SessionStatus.SCHEDULED).select_related("staff")
    return list(sessions.order_by("start", "pk"))


def course_is_open(sessions: list[Session], *, business: Business, now: datetime | None = None) -> bool:
    """Clients may enrol while every session has a seat and the first is after the minimum notice."""
    now = now or timezone.now()
    return (
        bool(sessions)
        and all(session.seats_left for session in sessions)
        and (sessions[0].start >= now + business.min_notice)
    )


def enrollment_bookings(booking: Booking) -> list[Booking]:
    """The booking with the other bookings of its course enrollment, in session order."""
    if not booking.enrollment:
        return [booking]
    return list(
        Booking.objects.filter(enrollment=booking.enrollment)
        .select_related("client", "service", "session__staff")
        .order_by("session__start", "pk")
    )


def sessions_with_a_place_for(user, sessions: list[Session]) -> set[int]:
    """The ids of ``sessions`` in which the signed-in ``user``'s client holds a live booking."""
    if not getattr(user, "is_authenticated", False) or not sessions:
        return set()
    held = Booking.objects.filter(
        client__user=user, session__in=sessions, status__in=LIVE_STATUSES
    ).values_list("session_id", flat=True)
    return set(held)


def emails_sent_about(bookings: list[Booking]) -> set[str]:
    """The kinds of e-mail stored for ``bookings`` (an owner may have switched a kind off)."""
    return set(OutgoingEmail.objects.filter(booking__in=bookings).values_list("kind", flat=True))
