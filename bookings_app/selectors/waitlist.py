"""What the waitlist pages read: a client's place in line, the sessions whose line is open."""

from django.db.models import Count, Q

from ..models import LIVE_WAITLIST_STATUSES, Session, WaitlistEntry, WaitlistStatus


def place_in_line(entry: WaitlistEntry) -> int:
    """1 for the first client waiting; an offered or closed entry has no place (0)."""
    if entry.status != WaitlistStatus.WAITING:
        return 0
    ahead = WaitlistEntry.objects.filter(
        Q(position__lt=entry.position) | Q(position=entry.position, pk__lt=entry.pk),
        session_id=entry.session_id,
        status=WaitlistStatus.WAITING,
    )
    return ahead.count() + 1


def waitlist_lengths(sessions: list[Session]) -> dict[int, int]:
    """How many clients wait (or hold an offer) per session id, in one query."""
    rows = (
        WaitlistEntry.objects.filter(session__in=sessions, status__in=LIVE_WAITLIST_STATUSES)
        .values("session_id")
        .annotate(n=Count("pk"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def live_entries_of(client) -> list[WaitlistEntry]:
    """The client's places in line, soonest session first, each with its ``place`` (My bookings),
    in two queries however many."""
    entries = list(
        WaitlistEntry.objects.filter(client=client, status__in=LIVE_WAITLIST_STATUSES)
        .select_related("session__service", "session__staff")
        .order_by("session__start")
    )
    lines: dict[int, list[int]] = {}
    waiting = WaitlistEntry.objects.filter(
        session__in=[e.session_id for e in entries], status=WaitlistStatus.WAITING
    ).order_by("position", "pk")
    for session_id, pk in waiting.values_list("session_id", "pk"):
        lines.setdefault(session_id, []).append(pk)
    for entry in entries:
        line = lines.get(entry.session_id, [])
        entry.place = line.index(entry.pk) + 1 if entry.pk in line else 0
    return entries


def waitlist_of(session: Session) -> list[WaitlistEntry]:
    """A session's live line in order, with each client (the dashboard and the tablet)."""
    return list(
        WaitlistEntry.objects.filter(session=session, status__in=LIVE_WAITLIST_STATUSES)
        .select_related("client")
        .order_by("position", "joined_at", "pk")
    )


def course_line(service, sessions: list[Session]) -> dict | None:
    """A full course's line, for its page: the session it lives on (the first by id, as
    ``services.waitlist.line_session_id`` says) and whether it is at its length. None when the
    course has no waitlist, a place is free, or nothing is scheduled. One query."""
    if not service.has_waitlist or not sessions or all(session.seats_left for session in sessions):
        return None
    line = min(sessions, key=lambda session: session.pk)
    waiting = waitlist_lengths([line]).get(line.pk, 0)
    return {"session": line, "full": waiting >= service.waitlist_max}
