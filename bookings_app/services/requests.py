"""Booking requests for services that need the owner's approval (docs/architecture.md).

A request is a booking in status ``requested`` whose appointment session is
``tentative``: it holds the slot only when the service's requests do not share slots.
Approving turns the session ``scheduled``, where PostgreSQL's exclusion constraint (and,
on SQLite, the check under the staff row lock) refuses an overlap with a confirmed one.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..core.errors import InvalidTransition, SlotUnavailable
from ..core.events import actor_for_source, record_event
from ..mail.booking_emails import queue_booking_email
from ..mail.outbox import queue_email
from ..mail.recipients import owner_addresses
from ..models import Actor, Booking, BookingStatus, Business, EventKind, Session, SessionStatus, StaffMember
from ..selectors import availability, confirmed_sessions_overlapping
from ..web.links import absolute_url, manage_url
from .earlier_times import offer_session_time


def announce_request(booking: Booking) -> None:
    """Inside the booking's transaction: the event, the client's receipt, the team's notice."""
    record_event(
        EventKind.BOOKING_REQUESTED,
        booking=booking,
        payload={"source": booking.source},
        actor=actor_for_source(booking.source),
    )
    queue_booking_email(booking=booking, kind="request_received", manage_url=manage_url(booking))
    _notify_team(booking, reason="new")


def approve_request(*, booking: Booking, by, now: datetime | None = None) -> Booking:
    """Confirm a pending request at its time. Raises InvalidTransition, SlotUnavailable."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock_open_request(booking, now=now)
        _confirm_session(booking.session)
        _decide(booking, status=BookingStatus.CONFIRMED, by=by, now=now)
        record_event(EventKind.BOOKING_APPROVED, booking=booking, actor=Actor.TEAM, actor_user=by)
        queue_booking_email(booking=booking, kind="confirmation", manage_url=manage_url(booking))
        _decline_overlapping(booking, by=by, now=now)
    return booking


def reschedule_request(
    *,
    booking: Booking,
    start: datetime,
    staff: StaffMember,
    by,
    private_note: str = "",
    notify: bool = True,
    message: str = "",
    now: datetime | None = None,
) -> Booking:
    """Move a request to another staff member and time (a free slot), then confirm it.

    The private note goes to the team's notes; the client never sees it. With ``notify``
    the client's confirmation carries ``message``. Raises InvalidTransition, SlotUnavailable.
    """
    now = now or timezone.now()
    with transaction.atomic():
        StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
        booking = _lock_open_request(booking, now=now)
        if start <= now:
            raise SlotUnavailable()
        old_start = booking.session.start
        _move_tentative(booking.session, staff=staff, start=start)
        booking.session.refresh_from_db()
        _confirm_session(booking.session)
        if private_note.strip():
            booking.notes = "\n".join(filter(None, [booking.notes, private_note.strip()]))
        _decide(booking, status=BookingStatus.CONFIRMED, by=by, now=now, extra=["notes"])
        record_event(
            EventKind.BOOKING_RESCHEDULED,
            booking=booking,
            payload={"from": old_start.isoformat(), "to": start.isoformat(), "by_client": False},
            actor=Actor.TEAM,
            actor_user=by,
        )
        record_event(
            EventKind.BOOKING_APPROVED,
            booking=booking,
            payload={"rescheduled": True},
            actor=Actor.TEAM,
            actor_user=by,
        )
        if notify:
            queue_booking_email(
                booking=booking, kind="confirmation", manage_url=manage_url(booking), message=message
            )
        _decline_overlapping(booking, by=by, now=now)
    return booking


def decline_request(
    *,
    booking: Booking,
    by,
    notify: bool = True,
    message: str = "",
    now: datetime | None = None,
    expired: bool = False,
) -> Booking:
    """Decline a pending request and free its slot; the client is told unless ``notify`` is off."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock_open_request(booking, now=now, allow_past=expired)
        Session.objects.filter(pk=booking.session_id).update(
            status=SessionStatus.CANCELLED, seats_taken=0, sequence=F("sequence") + 1
        )
        _decide(booking, status=BookingStatus.EXPIRED if expired else BookingStatus.DECLINED, by=by, now=now)
        offer_session_time(session=booking.session, now=now)  # a client waiting for an earlier time
        record_event(
            EventKind.BOOKING_DECLINED,
            booking=booking,
            payload={"expired": expired},
            actor=Actor.SYSTEM if expired else Actor.TEAM,
            actor_user=by,
        )
        if notify:
            kind = "request_expired" if expired else "request_declined"
            queue_booking_email(booking=booking, kind=kind, message=message)
    return booking


def expire_requests(*, now: datetime | None = None) -> int:
    """Requests whose start passed without a decision expire; each client is told once."""
    now = now or timezone.now()
    due = Booking.objects.filter(status=BookingStatus.REQUESTED, session__start__lte=now).order_by("pk")[:500]
    expired = 0
    for booking in due:
        try:
            decline_request(booking=booking, by=None, now=now, expired=True)
            expired += 1
        except InvalidTransition:
            continue
    return expired


def remind_about_waiting_requests(*, now: datetime | None = None) -> int:
    """Tell the team once about each request left unanswered for the business's N hours."""
    now = now or timezone.now()
    hours = Business.current().request_reminder_hours
    if not hours:
        return 0
    waiting = Booking.objects.filter(
        status=BookingStatus.REQUESTED,
        request_reminder_sent_at__isnull=True,
        created_at__lte=now - timedelta(hours=hours),
        session__start__gt=now,
    ).select_related("client", "service", "session__staff")[:200]
    reminded = 0
    for booking in waiting:
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, request_reminder_sent_at__isnull=True).update(
                request_reminder_sent_at=now
            ):
                _notify_team(booking, reason="waiting")
                reminded += 1
    return reminded


def overlapping_confirmed(session: Session) -> bool:
    """Whether a confirmed session of the same staff member overlaps this one."""
    overlapping = confirmed_sessions_overlapping(
        staff_id=session.staff_id,
        blocked_start=session.blocked_start,
        blocked_end=session.blocked_end,
        excluding=session.pk,
    )
    return overlapping.exists()


def _lock_open_request(booking: Booking, *, now: datetime, allow_past: bool = False) -> Booking:
    booking = (
        Booking.objects.select_for_update().select_related("session", "client", "service").get(pk=booking.pk)
    )
    if booking.status != BookingStatus.REQUESTED:
        raise InvalidTransition()
    if not allow_past and booking.session.start <= now:
        raise InvalidTransition()
    return booking


def _confirm_session(session: Session) -> None:
    """tentative → scheduled, refused when a confirmed session of that staff member overlaps."""
    if overlapping_confirmed(session):
        raise SlotUnavailable()
    try:
        with transaction.atomic():
            Session.objects.filter(pk=session.pk).update(
                status=SessionStatus.SCHEDULED, sequence=F("sequence") + 1
            )
    except IntegrityError as e:  # session_staff_no_overlap on PostgreSQL
        raise SlotUnavailable() from e


def _move_tentative(session: Session, *, staff: StaffMember, start: datetime) -> None:
    service, end = session.service, start + session.service.duration
    blocked_start, blocked_end = start - service.buffer_before, end + service.buffer_after
    clash = Session.objects.filter(
        availability.blocking_sessions(),
        staff=staff,
        blocked_start__lt=blocked_end,
        blocked_end__gt=blocked_start,
    ).exclude(pk=session.pk)
    if clash.exists():
        raise SlotUnavailable()
    Session.objects.filter(pk=session.pk).update(
        staff=staff,
        start=start,
        end=end,
        blocked_start=blocked_start,
        blocked_end=blocked_end,
        sequence=F("sequence") + 1,
    )


def _decide(booking: Booking, *, status: str, by, now: datetime, extra: list[str] | None = None) -> None:
    booking.status, booking.decided_at, booking.decided_by = status, now, by
    booking.sequence += 1  # locked by _lock_open_request: its calendar event changes (feeds)
    booking.save(
        update_fields=["status", "decided_at", "decided_by", "sequence", "updated_at", *(extra or [])]
    )


def _decline_overlapping(booking: Booking, *, by, now: datetime) -> None:
    """With the service's switch on, other requests for that staff and time are declined."""
    service = booking.service
    if not service.decline_overlapping_requests:
        return
    session = Session.objects.get(pk=booking.session_id)
    others = Booking.objects.filter(
        status=BookingStatus.REQUESTED,
        session__staff_id=session.staff_id,
        session__blocked_start__lt=session.blocked_end,
        session__blocked_end__gt=session.blocked_start,
    ).exclude(pk=booking.pk)
    for other in others:
        decline_request(booking=other, by=by, now=now, message=service.overlap_decline_message)


def _notify_team(booking: Booking, *, reason: str) -> None:
    """E-mail the owners and the assigned staff member about a new or waiting request."""
    business = Business.current()
    recipients = sorted(set(owner_addresses()) | {booking.session.staff.email} - {""})
    with translation.override(business.language), timezone.override(business.tz):
        context = {
            "booking": booking,
            "business": business,
            "reason": reason,
            "inbox_url": absolute_url(reverse("dashboard:requests")),
        }
        subject = render_to_string("emails/team_request_subject.txt", context)
        body_text = render_to_string("emails/team_request.txt", context)
        body_html = render_to_string("emails/team_request.html", context)
    for address in recipients:
        queue_email(
            kind=f"team_request_{reason}",
            dedupe_key=f"booking:{booking.pk}:team_request_{reason}:{address}",
            to=address,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            booking=booking,
            language=business.language,
        )
