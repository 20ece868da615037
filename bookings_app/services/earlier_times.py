"""Telling a waiting client that an earlier time opened (docs/waitlist.md, "An earlier time").

``offer_freed_time`` runs in the transaction that frees a staff member's time (a cancellation, a
released payment hold, a declined request, a moved booking, time off removed): it finds the
waiting clients of the services that staff member gives, first asked first, and for each the
earliest free slot overlapping the freed span that is earlier than their booking (the
availability rules decide: minimum notice, booking window, buffers, hours). It records a notice
and stores the e-mail in the same transaction.

Guards:
- one open notice per (slot start, service, staff member): a unique constraint, so two
  transactions freeing the same time never tell two clients; a notice refused by it is skipped;
- one client per freed span: slots overlapping an open notice of the same staff member, or one
  given earlier in the same call, are not offered again;
- the e-mail's dedupe key is the notice's id, so it is sent once;
- a notice holds nothing: moving there goes through ``reschedule_appointment`` with its usual
  checks, so the first client to use a link gets the time and the other is told it was taken.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..core.events import record_event
from ..core.transactions import attempt
from ..mail.earlier_time_emails import queue_earlier_time_email
from ..models import (
    Actor,
    Booking,
    BookingStatus,
    Business,
    EarlierNoticeStatus,
    EarlierTimeNotice,
    EarlierTimeRequest,
    EarlierTimeStatus,
    EventKind,
    ServiceKind,
    StaffMember,
)
from ..selectors import availability
from ..web.earlier_time_links import notice_url

CANDIDATES = 50  # waiting requests read per freed span, first asked first
PASS_ON_BATCH = 200
_MARGIN = timedelta(days=1)


def offer_freed_time(
    *, staff_id: int, start: datetime, end: datetime, now: datetime | None = None
) -> list[EarlierTimeNotice]:
    """Tell waiting clients about the free slots in [start, end) of staff member ``staff_id``.

    Call inside the transaction that freed the span, after the write that freed it. Returns the
    notices recorded (each with its e-mail stored)."""
    now = now or timezone.now()
    business = Business.current()
    if end <= now + business.min_notice:
        return []
    passed_over = EarlierTimeNotice.objects.filter(
        request=OuterRef("pk"),
        status=EarlierNoticeStatus.PASSED_ON,
        staff_id=staff_id,
        start__lt=end,
        end__gt=start,
    )
    wishes = list(
        EarlierTimeRequest.objects.filter(
            ~Exists(passed_over),
            Q(staff__isnull=True) | Q(staff_id=staff_id),
            status=EarlierTimeStatus.WAITING,
            service__kind=ServiceKind.APPOINTMENT,
            service__staff=staff_id,
            booking__status=BookingStatus.CONFIRMED,
            booking__session__start__gt=max(start - _MARGIN, now),
        )
        .select_related("service", "client", "booking__session")
        .order_by("created_at", "pk")[:CANDIDATES]
    )
    if not wishes:
        return []
    staff = StaffMember.objects.get(pk=staff_id)
    told = _open_spans(staff_id, start, end)
    earliest_open = _earliest_open_notice([wish.pk for wish in wishes])
    slots_by_service: dict[int, list] = {}
    notices = []
    for wish in wishes:
        if wish.service_id not in slots_by_service:
            slots_by_service[wish.service_id] = _slots_overlapping(
                wish.service, staff, start, end, now, business
            )
        better_than = min(wish.booking.session.start, earliest_open.get(wish.pk, wish.booking.session.start))
        slot = next(
            (
                (slot_start, slot_end)
                for slot_start, slot_end in slots_by_service[wish.service_id]
                if slot_start < better_than and not any(slot_start < e and slot_end > s for s, e in told)
            ),
            None,
        )
        if slot is None:
            continue
        notice = _record_notice(wish, staff, *slot, now)
        told.append(slot)  # by this call, or by another transaction at the same moment
        if notice is not None:
            notices.append(notice)
    return notices


def pass_on_unused_notices(*, now: datetime | None = None) -> int:
    """Beat: each earlier time told to a client more than ``EARLIER_TIME_NOTICE_HOURS`` ago, not
    used and still ahead, is passed on: the notice is closed as passed on and its span offered
    to the next clients waiting (never back to one it was passed on from). Returns how many."""
    now = now or timezone.now()
    told_before = now - timedelta(hours=settings.EARLIER_TIME_NOTICE_HOURS)
    unused = EarlierTimeNotice.objects.filter(
        status=EarlierNoticeStatus.SENT, created_at__lte=told_before, start__gt=now
    )
    ids = list(unused.order_by("created_at", "pk").values_list("pk", flat=True)[:PASS_ON_BATCH])
    return sum(_pass_on(pk, now=now) for pk in ids)


def _pass_on(notice_id: int, *, now: datetime) -> bool:
    """One notice, claimed by a conditional update so that two beat runs pass it on once."""
    with transaction.atomic():
        claimed = EarlierTimeNotice.objects.filter(pk=notice_id, status=EarlierNoticeStatus.SENT).update(
            status=EarlierNoticeStatus.PASSED_ON, closed_at=now
        )
        if not claimed:
            return False
        notice = EarlierTimeNotice.objects.get(pk=notice_id)
        offer_freed_time(staff_id=notice.staff_id, start=notice.start, end=notice.end, now=now)
    return True


def appointment_freed(*, booking: Booking, now: datetime | None = None) -> None:
    """An appointment's session stopped taking its staff member's time (cancelled, released): its
    own wish closes, and its time is offered to the clients waiting."""
    close_for_booking(booking=booking, now=now)
    offer_session_time(session=booking.session, now=now)


def offer_session_time(*, session, now: datetime | None = None) -> list[EarlierTimeNotice]:
    """``offer_freed_time`` for the span a session (with its buffers) took."""
    return offer_freed_time(
        staff_id=session.staff_id, start=session.blocked_start, end=session.blocked_end, now=now
    )


def close_for_booking(*, booking: Booking, now: datetime | None = None) -> None:
    """The booking no longer waits for an earlier time (cancelled, released): its wish closes and
    the slots told to it go to the next client."""
    now = now or timezone.now()
    for wish in EarlierTimeRequest.objects.filter(booking=booking, status=EarlierTimeStatus.WAITING):
        close_wish(wish=wish, status=EarlierTimeStatus.CLOSED, now=now)


def close_wish(
    *, wish: EarlierTimeRequest, status: str, now: datetime, keep: EarlierTimeNotice | None = None
) -> None:
    """Close a waiting wish; its other open notices are gone and their slots offered again."""
    if not EarlierTimeRequest.objects.filter(pk=wish.pk, status=EarlierTimeStatus.WAITING).update(
        status=status, closed_at=now
    ):
        return
    open_notices = list(
        EarlierTimeNotice.objects.filter(request=wish, status=EarlierNoticeStatus.SENT).exclude(
            pk=keep.pk if keep else None
        )
    )
    EarlierTimeNotice.objects.filter(pk__in=[notice.pk for notice in open_notices]).update(
        status=EarlierNoticeStatus.GONE, closed_at=now
    )
    for notice in open_notices:
        offer_freed_time(staff_id=notice.staff_id, start=notice.start, end=notice.end, now=now)


def _slots_overlapping(service, staff, start: datetime, end: datetime, now: datetime, business) -> list:
    reach = service.duration + service.buffer_before + service.buffer_after
    tz = business.tz
    slots = availability.free_slots(
        service=service,
        start_date=(start - reach).astimezone(tz).date(),
        end_date=end.astimezone(tz).date(),
        staff=staff,
        now=now,
        business=business,
    )
    spans = ((slot.start.astimezone(UTC), slot.end.astimezone(UTC)) for slot in slots)
    overlapping = [(begins, ends) for begins, ends in spans if begins < end and ends > start]
    # The freed time itself first (a cancelled 10:00 offers 10:00), then what it opened before it.
    return sorted(overlapping, key=lambda span: (span[0] < start, span[0]))


def _open_spans(staff_id: int, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    return list(
        EarlierTimeNotice.objects.filter(
            staff_id=staff_id,
            status=EarlierNoticeStatus.SENT,
            start__lt=end + _MARGIN,
            end__gt=start - _MARGIN,
        ).values_list("start", "end")
    )


def _earliest_open_notice(wish_ids: list[int]) -> dict[int, datetime]:
    """A client already told of a time keeps it: they are told only of an earlier one."""
    earliest: dict[int, datetime] = {}
    for wish_id, start in EarlierTimeNotice.objects.filter(
        request_id__in=wish_ids, status=EarlierNoticeStatus.SENT
    ).values_list("request_id", "start"):
        earliest[wish_id] = min(start, earliest.get(wish_id, start))
    return earliest


def _record_notice(
    wish: EarlierTimeRequest, staff: StaffMember, start: datetime, end: datetime, now: datetime
) -> EarlierTimeNotice | None:
    try:
        with attempt():
            notice = EarlierTimeNotice.objects.create(
                request=wish, service=wish.service, staff=staff, start=start, end=end, created_at=now
            )
    except IntegrityError:  # another transaction told someone of this slot at the same moment
        return None
    notice.request = wish
    record_event(
        EventKind.EARLIER_TIME_OFFERED,
        booking=wish.booking,
        payload={"start": start.isoformat(), "staff_id": staff.pk},
        actor=Actor.SYSTEM,
    )
    queue_earlier_time_email(notice=notice, url=notice_url(notice))
    return notice
