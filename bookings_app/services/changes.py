"""Changing a booking after it is made: cancel, reschedule, check in, mark no-show."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..core.errors import InvalidTransition, OutsidePolicy, SessionFull, SlotUnavailable
from ..core.events import record_event
from ..mail.booking_emails import queue_booking_email
from ..models import (
    Actor,
    Attendance,
    Booking,
    BookingStatus,
    Business,
    EventKind,
    PaymentMethod,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
)
from ..selectors import availability
from ..web.links import manage_url
from .discounts import give_back_unless_charged
from .earlier_times import appointment_freed, offer_session_time
from .payments import refund_for_cancellation
from .plans import retake_credit_after_undo, return_credit_for_cancellation, return_credit_for_no_show
from .waitlist import fill_freed_seats


def client_may_change(booking: Booking, *, now: datetime | None = None) -> bool:
    """Within the policy: confirmed (or still a request), not yet attended, before the cancellation window."""
    now = now or timezone.now()
    return (
        booking.status in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED)
        and not booking.attendance
        and booking.session.start - Business.current().cancel_window > now
    )


def cancel_booking(
    *,
    booking: Booking,
    by_client: bool,
    by=None,
    now: datetime | None = None,
    message: str = "",
    reason: str = "",
) -> list[Booking]:
    """Cancel the booking (a course booking with all its sessions) and free its seats.

    Clients may cancel only within the policy; the team (``by``, the team member) at any
    time before attendance. ``message`` is told to the client in the e-mail; ``reason`` (a code
    such as ``membership_frozen``) goes in the event's payload.
    Raises OutsidePolicy, InvalidTransition. Returns the cancelled bookings.
    """
    now = now or timezone.now()
    if by_client and not client_may_change(booking, now=now):
        raise OutsidePolicy()
    with transaction.atomic():
        family = (
            Booking.objects.select_for_update()
            .filter(**({"enrollment": booking.enrollment} if booking.enrollment else {"pk": booking.pk}))
            .order_by("pk")
        )
        cancelled = []
        for member in family:
            if member.status not in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED) or member.attendance:
                continue
            _release_seat(member)
            member.withdrawn = by_client and member.status == BookingStatus.REQUESTED
            member.status, member.cancelled_at = BookingStatus.CANCELLED, now
            member.sequence += 1  # the row is locked: its calendar event changes (feeds)
            member.save(update_fields=["status", "cancelled_at", "withdrawn", "sequence", "updated_at"])
            record_event(
                EventKind.BOOKING_CANCELLED,
                booking=member,
                payload={"by_client": by_client, **({"reason": reason} if reason else {})},
                **_actor(by_client, by),
            )
            cancelled.append(member)
        if not cancelled:
            raise InvalidTransition()
        for member in cancelled:  # online payments: what the refund policy gives back (services/payments)
            refund_for_cancellation(booking=member, by_client=by_client)
            give_back_unless_charged(booking=member, now=now)
            return_credit_for_cancellation(booking=member, by_client=by_client, now=now)
        queue_booking_email(
            booking=cancelled[0], kind="cancellation", manage_url=manage_url(cancelled[0]), message=message
        )
    return cancelled


def _actor(by_client: bool, by) -> dict:
    """Who acted, for ``record_event``: the client, or the team member ``by``."""
    if by_client:
        return {"actor": Actor.CLIENT}
    return {"actor": Actor.TEAM, "actor_user": by}


def _release_seat(booking: Booking) -> None:
    session = booking.session
    if session.service.kind == ServiceKind.APPOINTMENT:
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED, seats_taken=0, sequence=F("sequence") + 1
        )
        appointment_freed(booking=booking)  # a client waiting for an earlier time is told
    elif booking.status == BookingStatus.CONFIRMED:
        Session.objects.filter(pk=session.pk, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1, sequence=F("sequence") + 1
        )
        fill_freed_seats(session_id=session.pk)  # the waitlist takes it in this transaction


def reschedule_appointment(
    *,
    booking: Booking,
    start: datetime,
    staff: StaffMember | None = None,
    by_client: bool,
    by=None,
    notify: bool = True,
    now: datetime | None = None,
) -> Booking:
    """Move an appointment to another free slot (same session row, new time and staff).

    The client is e-mailed unless the team says not to (``notify``).
    Raises OutsidePolicy, InvalidTransition, SlotUnavailable.
    """
    now = now or timezone.now()
    if booking.service.kind != ServiceKind.APPOINTMENT or booking.status != BookingStatus.CONFIRMED:
        raise InvalidTransition()
    if by_client and not client_may_change(booking, now=now):
        raise OutsidePolicy()
    service, staff = booking.service, staff or booking.session.staff
    with transaction.atomic():
        StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
        session = Session.objects.select_for_update().get(pk=booking.session_id)
        old_start = session.start
        # Step out of the calendar so the check does not collide with the booking's own slot.
        Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
        if by_client and not availability.is_slot_free(service=service, staff=staff, start=start, now=now):
            raise SlotUnavailable()
        _move_session(session, staff=staff, start=start)
        offer_session_time(session=session, now=now)
        Booking.objects.filter(pk=booking.pk).update(sequence=F("sequence") + 1, updated_at=now)
        booking.refresh_from_db()
        record_event(
            EventKind.BOOKING_RESCHEDULED,
            booking=booking,
            payload={"from": old_start.isoformat(), "to": start.isoformat(), "by_client": by_client},
            **_actor(by_client, by),
        )
        if notify or by_client:
            queue_booking_email(booking=booking, kind="reschedule", manage_url=manage_url(booking))
    return booking


def _move_session(session: Session, *, staff: StaffMember, start: datetime) -> None:
    service = session.service
    end = start + service.duration
    clash = Session.objects.filter(
        availability.blocking_sessions(),
        staff=staff,
        blocked_start__lt=end + service.buffer_after,
        blocked_end__gt=start - service.buffer_before,
    ).exclude(pk=session.pk)
    if clash.exists():
        raise SlotUnavailable()
    try:
        with transaction.atomic():
            Session.objects.filter(pk=session.pk).update(
                staff=staff,
                start=start,
                end=end,
                blocked_start=start - service.buffer_before,
                blocked_end=end + service.buffer_after,
                status=SessionStatus.SCHEDULED,
                sequence=F("sequence") + 1,
            )
    except IntegrityError as e:  # session_staff_no_overlap on PostgreSQL
        raise SlotUnavailable() from e


def move_class_seat(
    *,
    booking: Booking,
    session: Session,
    by_client: bool,
    by=None,
    notify: bool = True,
    now: datetime | None = None,
) -> Booking:
    """Move a class booking to another session of the same class (``notify`` as above).

    Raises SessionFull and the above."""
    now = now or timezone.now()
    if booking.service.kind != ServiceKind.CLASS or session.service_id != booking.service_id:
        raise InvalidTransition()
    if by_client and (
        not client_may_change(booking, now=now) or session.start < now + Business.current().min_notice
    ):
        raise OutsidePolicy()
    with transaction.atomic():
        taken = Session.objects.filter(
            pk=session.pk, status=SessionStatus.SCHEDULED, seats_taken__lt=F("capacity")
        ).update(seats_taken=F("seats_taken") + 1, sequence=F("sequence") + 1)
        if not taken:
            raise SessionFull()
        old_start = booking.session.start
        _release_seat(booking)
        try:
            with transaction.atomic():
                Booking.objects.filter(pk=booking.pk).update(
                    session=session, updated_at=now, sequence=F("sequence") + 1
                )
        except IntegrityError as e:
            raise InvalidTransition() from e
        booking.refresh_from_db()
        record_event(
            EventKind.BOOKING_RESCHEDULED,
            booking=booking,
            payload={"from": old_start.isoformat(), "to": session.start.isoformat(), "by_client": by_client},
            **_actor(by_client, by),
        )
        if notify or by_client:
            queue_booking_email(booking=booking, kind="reschedule", manage_url=manage_url(booking))
    return booking


def record_attendance(*, booking: Booking, attendance: str, by, now: datetime | None = None) -> Booking:
    """Check a client in or mark a no-show, once: a double tap changes nothing the second time.

    The checked-in event carries the visit number and whether it is the first visit.
    """
    now = now or timezone.now()
    if attendance not in (Attendance.CHECKED_IN, Attendance.NO_SHOW):
        raise InvalidTransition()
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED, attendance="").update(
            attendance=attendance, attendance_at=now, attendance_by=by, updated_at=now
        )
        booking.refresh_from_db()
        if not changed:
            if booking.attendance == attendance:
                return booking
            raise InvalidTransition()
        if attendance == Attendance.CHECKED_IN:
            visits = Booking.objects.filter(client=booking.client, attendance=Attendance.CHECKED_IN).count()
            record_event(
                EventKind.CHECKED_IN,
                booking=booking,
                actor_user=by,
                payload={"visit_number": visits, "first_visit": visits == 1},
            )
        else:
            record_event(EventKind.NO_SHOW, booking=booking, actor_user=by)
            return_credit_for_no_show(booking=booking, now=now)
    return booking


def undo_attendance(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Take back a check-in or no-show tapped by mistake."""
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).exclude(attendance="").update(
            attendance="", attendance_at=None, attendance_by=None, updated_at=now or timezone.now()
        )
        retake_credit_after_undo(booking=booking)
        booking.refresh_from_db()
    return booking


def mark_paid(
    *, booking: Booking, method: str = PaymentMethod.IN_PERSON, now: datetime | None = None
) -> Booking:
    """Record that a confirmed booking was paid (today: in person at the desk); a second call keeps the
    first time. Raises InvalidTransition for a booking that is not confirmed (cancelled, a request)."""
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk, paid_at__isnull=True, status=BookingStatus.CONFIRMED).update(
            paid_at=now or timezone.now(), payment_method=method
        )
        booking.refresh_from_db()
        if booking.paid_at is None:
            raise InvalidTransition()
    return booking


def unmark_paid(*, booking: Booking) -> Booking:
    """Take back a payment recorded by mistake."""
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(paid_at=None, payment_method="")
        booking.refresh_from_db()
    return booking


def set_booking_notes(*, booking: Booking, notes: str) -> Booking:
    """The team's private notes on a booking; the client never sees them (the team's calendar
    feeds do: a change raises the session's SEQUENCE)."""
    with transaction.atomic():
        if (
            Booking.objects.filter(pk=booking.pk)
            .exclude(notes=notes.strip())
            .update(notes=notes.strip(), updated_at=timezone.now())
        ):
            Session.objects.filter(pk=booking.session_id).update(sequence=F("sequence") + 1)
        booking.refresh_from_db()
    return booking
