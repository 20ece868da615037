"""Outside calendars of the staff: add one, remove one, ask for a fetch now, and refresh one
(fetch, expand, replace its busy times). Each write is one transaction on the locked calendar.

A fetch runs outside any transaction (it may take seconds); its outcome is written after, only
if the calendar is still there with the same address. A failure records the error and keeps the
busy times of the last good fetch: availability goes on using them.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ..core import hand_over
from ..core.outside_calendars import (
    Fetched,
    FetchFailed,
    Span,
    busy_spans,
    check_host,
    fetch,
    normalise_address,
)
from ..models import Business, BusyTime, OutsideCalendar, StaffMember

REFRESH_TASK = "bookings_app.tasks.refresh_outside_calendar"
# A 304 keeps the stored busy times until the booking window has moved this far past them.
STALE_AFTER = timedelta(days=1)


def add_outside_calendar(*, staff_member: StaffMember, name: str, url: str) -> OutsideCalendar:
    """Store the address (checked again here: ``CalendarAddressRefused``) and fetch it soon."""
    address = normalise_address(url)
    check_host(address)
    with transaction.atomic():
        calendar = OutsideCalendar.objects.create(
            staff=staff_member, name=name.strip(), url=address, fetch_requested_at=timezone.now()
        )
        hand_over.after_commit(REFRESH_TASK, calendar.pk)
    return calendar


def remove_outside_calendar(*, calendar: OutsideCalendar) -> None:
    """The calendar and its busy times go; the staff member is bookable in those spans again.

    The calendar is locked first: a refresh writing its busy times finishes before the delete
    collects them (else its new rows would outlive the calendar's delete and break the key)."""
    with transaction.atomic():
        locked = OutsideCalendar.objects.select_for_update().filter(pk=calendar.pk).first()
        if locked is not None:
            locked.delete()


def request_fetch(*, calendar: OutsideCalendar) -> bool:
    """ "Fetch now": mark it asked for and hand the fetch to a worker. False if it is gone.

    A fetch already asked for and not yet attempted is not asked again: pressing twice, or two
    people at once (the row lock), sends one task. Should that task be lost, the next refresh
    of beat's ends the wait."""
    with transaction.atomic():
        locked = OutsideCalendar.objects.select_for_update().filter(pk=calendar.pk).first()
        if locked is None:
            return False
        if not locked.fetch_is_queued:
            OutsideCalendar.objects.filter(pk=locked.pk).update(fetch_requested_at=timezone.now())
            hand_over.after_commit(REFRESH_TASK, locked.pk)
    return True


def queue_all_refreshes() -> int:
    """Every fifteen minutes (beat): one refresh task per enabled calendar."""
    ids = list(OutsideCalendar.objects.filter(is_enabled=True).order_by("pk").values_list("pk", flat=True))
    for calendar_id in ids:
        hand_over.send_now(REFRESH_TASK, calendar_id)
    return len(ids)


def refresh_outside_calendar(*, calendar_id: int, now: datetime | None = None) -> str:
    """Fetch one calendar and record the outcome: "saved", "not modified", "failed" or "gone"."""
    calendar = OutsideCalendar.objects.filter(pk=calendar_id, is_enabled=True).first()
    if calendar is None:
        return "gone"
    now = now or timezone.now()
    business = Business.current()
    since = timezone.make_aware(datetime.combine(timezone.localdate(now, business.tz), time(0)), business.tz)
    until = now + timedelta(days=business.max_advance_days + 1)
    conditional = calendar.expanded_until is not None and calendar.expanded_until >= until - STALE_AFTER
    try:
        fetched = fetch(
            calendar.url,
            etag=calendar.etag if conditional else "",
            last_modified=calendar.last_modified if conditional else "",
        )
        spans = (
            [] if fetched.not_modified else busy_spans(fetched.body, since=since, until=until, tz=business.tz)
        )
    except FetchFailed as failure:
        return _record_failure(calendar, failure.code, now)
    return _record_success(calendar, fetched, spans, until, now)


def _record_success(
    calendar: OutsideCalendar, fetched: Fetched, spans: list[Span], until: datetime, now: datetime
) -> str:
    """Replace the calendar's busy times with the new ones (a 304 keeps them), in one transaction."""
    with transaction.atomic():
        locked = OutsideCalendar.objects.select_for_update().filter(pk=calendar.pk, url=calendar.url).first()
        if locked is None:
            return "gone"
        if locked.last_success_at is not None and locked.last_success_at > now:
            return "saved"  # a later fetch has written already
        locked.last_success_at = now
        changed = ["last_success_at"]
        if not fetched.not_modified:
            BusyTime.objects.filter(calendar=locked).delete()
            BusyTime.objects.bulk_create(
                BusyTime(staff_id=locked.staff_id, calendar=locked, start=start, end=end)
                for start, end in spans
            )
            locked.etag, locked.last_modified = fetched.etag, fetched.last_modified
            locked.expanded_until = until
            changed += ["etag", "last_modified", "expanded_until"]
        locked.save(update_fields=changed)
    return "not modified" if fetched.not_modified else "saved"


def _record_failure(calendar: OutsideCalendar, code: str, now: datetime) -> str:
    """Note the error; the busy times of the last good fetch stay."""
    with transaction.atomic():
        OutsideCalendar.objects.filter(pk=calendar.pk, url=calendar.url).update(
            last_error=code[:300], last_error_at=now
        )
    return "failed"
