"""Free appointment slots: working hours minus sessions (with buffers), time off and busy times
from outside calendars, within the booking policy. Computed in the business time zone, stepped in
absolute time, shown in the client's.

Everything is loaded with a fixed number of queries (business, staff, working hours, date
overrides, time off with outside calendars' busy times in one query, sessions), then each staff
member's day is swept in integer UTC seconds: a busy span forbids an open range of start times,
and the sweep jumps over those ranges instead of testing every candidate against every session.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from ..models import (
    Business,
    BusyTime,
    DateOverride,
    Service,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
    TimeOff,
    WorkingHours,
)

# Sessions in these statuses always take the staff member's time.
BLOCKING_SESSION_STATUSES: tuple[str, ...] = (SessionStatus.SCHEDULED,)


def blocking_sessions() -> Q:
    """Sessions that take a staff member's time: scheduled ones, and pending requests of a
    service whose requests hold the slot ("several clients may request the same slot" off)."""
    return Q(status__in=BLOCKING_SESSION_STATUSES) | Q(
        status=SessionStatus.TENTATIVE, service__shared_requests=False
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_TICK = timedelta(microseconds=1)

Shift = tuple[int, int]  # one working interval, [start, end) in UTC seconds


@dataclass(frozen=True)
class Slot:
    """A start time a client may book with one staff member.

    Compare slots by instant with ``slot.start.astimezone(UTC)``: two aware datetimes sharing a
    tzinfo compare by wall clock, which is wrong inside an autumn fold.
    """

    start: datetime  # aware, in the requested tz
    end: datetime  # start + service duration, in the requested tz
    staff_id: int


@dataclass(frozen=True)
class _Policy:
    """What one search needs, in UTC seconds: the service's lengths and the allowed start range."""

    duration: int
    buffer_before: int
    buffer_after: int
    step: int
    first_start: int  # inclusive
    last_start: int  # inclusive


@dataclass
class _StaffCalendar:
    """One staff member's hours and the start times their sessions and time off forbid."""

    weekly: dict[int, list[tuple[time, time]]]
    overrides: dict[date, list[tuple[time, time]]]
    forbidden_starts: list[int]  # open ranges (starts[i], ends[i]), sorted, merged
    forbidden_ends: list[int]


def free_slots(
    *,
    service: Service,
    start_date: date,
    end_date: date,
    tz: ZoneInfo | None = None,
    staff: StaffMember | None = None,
    now: datetime | None = None,
    business: Business | None = None,
) -> list[Slot]:
    """Free appointment start times, sorted by (start, staff_id).

    ``start_date``/``end_date`` are inclusive dates in ``tz`` (default: the business time zone).
    Classes, courses, offline and archived services have no slots. Six queries (five when
    ``business`` is given), whatever the number of staff, days or sessions.
    """
    business = business or Business.current()
    tz = tz or business.tz
    if service.kind != ServiceKind.APPOINTMENT or not service.is_bookable or start_date > end_date:
        return []
    policy = _policy(service, business, start_date, end_date, tz, now or timezone.now())
    if policy.first_start > policy.last_start:
        return []
    staff_ids = _bookable_staff_ids(service, staff)
    if not staff_ids:
        return []
    days = _local_days(policy, business.tz)
    calendars = _load_calendars(staff_ids, days, policy)
    starts = [
        (start, staff_id)
        for staff_id, calendar in calendars.items()
        for start in _free_starts(calendar, days, policy, business.tz)
    ]
    starts.sort()
    return as_slots(starts, policy.duration, tz)


def available_days(
    *,
    service: Service,
    start_date: date,
    end_date: date,
    tz: ZoneInfo | None = None,
    staff: StaffMember | None = None,
    now: datetime | None = None,
    business: Business | None = None,
) -> set[date]:
    """Dates (in tz) in [start_date, end_date] that have at least one free slot — for the month calendar."""
    slots = free_slots(
        service=service,
        start_date=start_date,
        end_date=end_date,
        tz=tz,
        staff=staff,
        now=now,
        business=business,
    )
    return {slot.start.date() for slot in slots}


def is_slot_free(
    *,
    service: Service,
    staff: StaffMember,
    start: datetime,
    now: datetime | None = None,
    business: Business | None = None,
) -> bool:
    """True when `start` (aware, any tz) is one of the free slots of that staff member.

    The booking service calls this again inside its transaction, just before it writes.
    """
    if timezone.is_naive(start):
        raise ValueError("is_slot_free needs an aware start time.")
    business = business or Business.current()
    wanted = start.astimezone(UTC)
    local_day = wanted.astimezone(business.tz).date()
    slots = free_slots(
        service=service,
        start_date=local_day,
        end_date=local_day,
        tz=business.tz,
        staff=staff,
        now=now,
        business=business,
    )
    return any(slot.start.astimezone(UTC) == wanted for slot in slots)


def _policy(
    service: Service, business: Business, start_date: date, end_date: date, tz: ZoneInfo, now: datetime
) -> _Policy:
    """The window [start_date 00:00, end_date + 1 00:00) in tz, narrowed by notice and booking window."""
    window_end = _to_utc(end_date + timedelta(days=1), time(0), tz)
    return _Policy(
        duration=service.duration_minutes * 60,
        buffer_before=service.buffer_before_minutes * 60,
        buffer_after=service.buffer_after_minutes * 60,
        step=business.slot_step_minutes * 60,
        first_start=_ceil_seconds(max(_to_utc(start_date, time(0), tz), now + business.min_notice)),
        last_start=_seconds(min(window_end - _TICK, now + timedelta(days=business.max_advance_days))),
    )


# --- Loading: a fixed number of queries -----------------------------------------------------------


def _bookable_staff_ids(service: Service, staff: StaffMember | None) -> list[int]:
    """Active staff of the service, or just ``staff`` when it is one of them."""
    members = service.staff.filter(is_active=True).order_by()
    if staff is not None:
        members = members.filter(pk=staff.pk)
    return sorted(members.values_list("pk", flat=True))


def _load_calendars(staff_ids: list[int], days: list[date], policy: _Policy) -> dict[int, _StaffCalendar]:
    """Hours, overrides, time off and blocking sessions of these staff members: four queries."""
    calendars = {staff_id: _StaffCalendar({}, {}, [], []) for staff_id in staff_ids}
    weekly_rows = (
        WorkingHours.objects.filter(staff_id__in=staff_ids)
        .order_by()
        .values_list("staff_id", "weekday", "start", "end")
    )
    for staff_id, weekday, start, end in weekly_rows:
        calendars[staff_id].weekly.setdefault(weekday, []).append((start, end))
    override_rows = (
        DateOverride.objects.filter(staff_id__in=staff_ids, date__gte=days[0], date__lte=days[-1])
        .order_by()
        .values_list("staff_id", "date", "start", "end")
    )
    for staff_id, day, start, end in override_rows:
        calendars[staff_id].overrides.setdefault(day, []).append((start, end))
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for staff_id, start, end in _busy_spans(staff_ids, policy):
        busy[staff_id].append((_seconds(start), _ceil_seconds(end)))
    for staff_id, spans in busy.items():
        calendar = calendars[staff_id]
        calendar.forbidden_starts, calendar.forbidden_ends = _forbidden_starts(spans, policy)
    return calendars


def _busy_spans(staff_ids: list[int], policy: _Policy) -> Iterator[tuple[int, datetime, datetime]]:
    """Time off, busy times from outside calendars (one query, a UNION) and blocking sessions
    that could touch a candidate's blocked span: two queries. A busy time blocks exactly as
    time off does."""
    since = _from_seconds(policy.first_start - policy.buffer_before)
    until = _from_seconds(policy.last_start + policy.duration + policy.buffer_after)
    time_off = (
        TimeOff.objects.filter(staff_id__in=staff_ids, start__lt=until, end__gt=since)
        .order_by()
        .values_list("staff_id", "start", "end")
    )
    busy = (
        BusyTime.objects.filter(staff_id__in=staff_ids, start__lt=until, end__gt=since)
        .order_by()
        .values_list("staff_id", "start", "end")
    )
    yield from time_off.union(busy, all=True)
    yield from (
        Session.objects.filter(
            blocking_sessions(),
            staff_id__in=staff_ids,
            blocked_start__lt=until,
            blocked_end__gt=since,
        )
        .order_by()
        .values_list("staff_id", "blocked_start", "blocked_end")
    )


def _forbidden_starts(spans: Iterable[tuple[int, int]], policy: _Policy) -> tuple[list[int], list[int]]:
    """The open ranges of start times whose blocked span would overlap a busy span, merged.

    A start ``s`` blocks [s - before, s + duration + after); it overlaps a busy [b0, b1) exactly
    when b0 - duration - after < s < b1 + before. Touching ranges stay apart: their meeting
    point is free.
    """
    ranges = sorted(
        (b0 - policy.duration - policy.buffer_after, b1 + policy.buffer_before) for b0, b1 in spans
    )
    starts: list[int] = []
    ends: list[int] = []
    for low, high in ranges:
        if ends and low < ends[-1]:
            ends[-1] = max(ends[-1], high)
        else:
            starts.append(low)
            ends.append(high)
    return starts, ends


# --- Sweeping: working hours in UTC, minus forbidden starts ----------------------------------------


def _free_starts(
    calendar: _StaffCalendar, days: list[date], policy: _Policy, business_tz: ZoneInfo
) -> Iterator[int]:
    """One staff member's free starts, day by day and shift by shift, in order."""
    for day in days:
        for shift in _shifts(calendar, day, business_tz):
            yield from _free_starts_in_shift(shift, calendar, policy)


def _shifts(calendar: _StaffCalendar, day: date, business_tz: ZoneInfo) -> list[Shift]:
    """The day's working intervals in UTC: the date's overrides if any, else the weekday's hours.

    Overlapping or touching intervals merge (09–12 and 12–15 is one 09–15 shift). An interval
    that vanishes in a spring gap (02:30–03:00 in Paris) is dropped.
    """
    wall_intervals = calendar.overrides.get(day) or calendar.weekly.get(day.weekday(), [])
    shifts: list[Shift] = []
    for start, end in sorted(
        (_seconds(_to_utc(day, start, business_tz)), _seconds(_to_utc(day, end, business_tz)))
        for start, end in wall_intervals
    ):
        if end <= start:
            continue
        if shifts and start <= shifts[-1][1]:
            shifts[-1] = (shifts[-1][0], max(shifts[-1][1], end))
        else:
            shifts.append((start, end))
    return shifts


def _free_starts_in_shift(shift: Shift, calendar: _StaffCalendar, policy: _Policy) -> Iterator[int]:
    """Every step from the shift's start that fits the shift and the policy and is not forbidden."""
    anchor, shift_end = shift
    last = min(policy.last_start, shift_end - policy.duration)
    start = _on_grid(anchor, max(anchor, policy.first_start), policy.step)
    lows, highs = calendar.forbidden_starts, calendar.forbidden_ends
    i = 0
    while start <= last:
        i = bisect_right(highs, start, i)  # the first forbidden range ending after start
        if i < len(highs) and lows[i] < start:
            start = _on_grid(anchor, highs[i], policy.step)
        else:
            yield start
            start += policy.step


def as_slots(starts: list[tuple[int, int]], duration: int, tz: ZoneInfo) -> list[Slot]:
    """Sorted (start, staff_id) pairs as slots in ``tz``; staff free at one instant share its conversion."""
    slots: list[Slot] = []
    previous = None
    for start, staff_id in starts:
        if start != previous:
            begins, ends = datetime.fromtimestamp(start, tz), datetime.fromtimestamp(start + duration, tz)
            previous = start
        slots.append(Slot(start=begins, end=ends, staff_id=staff_id))
    return slots


# --- Time -----------------------------------------------------------------------------------------


def _to_utc(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """A local wall time as a UTC instant, read with fold=0: in a spring gap with the offset before the
    change (Paris 02:30 is 03:30 summer time), in an autumn fold as its first occurrence."""
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def _local_days(policy: _Policy, business_tz: ZoneInfo) -> list[date]:
    """Business-local dates whose working hours may hold an allowed start."""
    first = _from_seconds(policy.first_start).astimezone(business_tz).date()
    last = _from_seconds(policy.last_start).astimezone(business_tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _on_grid(anchor: int, at_least: int, step: int) -> int:
    """The first of anchor, anchor + step, … that is not before ``at_least``."""
    return anchor - (anchor - at_least) // step * step if at_least > anchor else anchor


def _seconds(moment: datetime) -> int:
    return (moment - _EPOCH) // _SECOND


def _ceil_seconds(moment: datetime) -> int:
    return -((_EPOCH - moment) // _SECOND)


def _from_seconds(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)
