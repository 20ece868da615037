"""Class sessions from their rules, and the session started/ended events."""

import logging
from datetime import date, datetime, timedelta

from dateutil import rrule
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..core.events import record_event
from ..models import Business, ClassSchedule, EventKind, Session, SessionStatus

logger = logging.getLogger(__name__)

_WEEKDAYS = {
    "MO": rrule.MO,
    "TU": rrule.TU,
    "WE": rrule.WE,
    "TH": rrule.TH,
    "FR": rrule.FR,
    "SA": rrule.SA,
    "SU": rrule.SU,
}
GENERATION_MARGIN_DAYS = 14


def parse_weekdays(value: str) -> list:
    """``"MO,WE"`` → rrule weekdays; raises ValueError naming an unknown day."""
    days = []
    for part in (p.strip().upper() for p in value.split(",") if p.strip()):
        if part not in _WEEKDAYS:
            raise ValueError(part)
        days.append(_WEEKDAYS[part])
    if not days:
        raise ValueError(value)
    return days


def schedule_starts(schedule: ClassSchedule, *, tz, until: date) -> list[datetime]:
    """Every start of the rule up to ``until``, as aware datetimes at the same wall-clock time.

    The rule runs on naive wall-clock times so a 18:00 class stays at 18:00 across DST.
    """
    last = datetime.combine(min(filter(None, [schedule.until, until])), schedule.start_time)
    rule = rrule.rrule(
        rrule.WEEKLY,
        byweekday=parse_weekdays(schedule.weekdays),
        dtstart=datetime.combine(schedule.starts_on, schedule.start_time),
        **({"count": schedule.count} if schedule.count else {"until": last}),
    )
    return [naive.replace(tzinfo=tz) for naive in rule if naive <= last]


def generate_class_sessions(*, schedule: ClassSchedule | None = None, now: datetime | None = None) -> int:
    """Create the sessions of every rule (or one) up to the booking window plus a margin.

    Safe to run any number of times: one session per rule and start, by a unique constraint.
    Returns how many sessions are new.
    """
    now = now or timezone.now()
    business = Business.current()
    horizon = timezone.localdate(now, business.tz) + timedelta(
        days=business.max_advance_days + GENERATION_MARGIN_DAYS
    )
    schedules = [schedule] if schedule else ClassSchedule.objects.select_related("service")
    created = 0
    for rule in schedules:
        created += _generate_for(rule, tz=business.tz, now=now, horizon=horizon)
    return created


def _generate_for(schedule: ClassSchedule, *, tz, now: datetime, horizon: date) -> int:
    service = schedule.service
    starts = [s for s in schedule_starts(schedule, tz=tz, until=horizon) if s >= now]
    existing = set(Session.objects.filter(schedule=schedule).values_list("start", flat=True))
    new = [
        Session(
            service=service,
            staff_id=schedule.staff_id,
            schedule=schedule,
            start=start,
            end=start + service.duration,
            blocked_start=start - service.buffer_before,
            blocked_end=start + service.duration + service.buffer_after,
            capacity=schedule.capacity or service.capacity,
            status=SessionStatus.SCHEDULED,
        )
        for start in starts
        if start not in existing
    ]
    with transaction.atomic():
        Session.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        logger.info("class sessions: %s new for %s", len(new), schedule)
    return len(new)


def emit_session_events(*, now: datetime | None = None, lookback: timedelta = timedelta(days=2)) -> int:
    """Record "session started" and "session ended" once per session (beat runs this every minute).

    The event's unique key and a conditional update on the session make a second run, or a
    second beat, a no-op.
    """
    now = now or timezone.now()
    emitted = 0
    for kind, field, moment in (
        (EventKind.SESSION_STARTED, "started_event_at", "start"),
        (EventKind.SESSION_ENDED, "ended_event_at", "end"),
    ):
        due = Session.objects.filter(
            Q(**{f"{field}__isnull": True, f"{moment}__lte": now, f"{moment}__gte": now - lookback}),
            status=SessionStatus.SCHEDULED,
        ).select_related("service")
        for session in due:
            with transaction.atomic():
                claimed = Session.objects.filter(pk=session.pk, **{f"{field}__isnull": True}).update(
                    **{field: now}
                )
                if claimed and record_event(
                    kind,
                    session=session,
                    key=f"{kind}:{session.pk}",
                    occurred_at=getattr(session, moment),
                    payload={"seats_taken": session.seats_taken},
                ):
                    emitted += 1
    return emitted
