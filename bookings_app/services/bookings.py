"""Book, cancel and reschedule: one verb, one transaction, one event each.

Guards, from the inside out:
- a class seat is a conditional ``UPDATE … SET seats_taken = seats_taken + 1 WHERE
  seats_taken < capacity`` (and a check constraint behind it);
- an appointment locks its staff member's row, re-checks the slot, then inserts its
  session; on PostgreSQL the exclusion constraint ``session_staff_no_overlap`` refuses any
  overlap that slipped through, on SQLite the IMMEDIATE transaction lets one writer in;
- one live booking per client and session, and one booking per submitted form
  (``request_key``), are unique constraints;
- a client's booking limits (``booking_limits``) are counted under a lock on the client's row.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..core.errors import AlreadyBooked, NotBookable, OutsidePolicy, SessionFull, SlotUnavailable
from ..core.events import actor_for_source, record_event
from ..mail.booking_emails import queue_booking_email
from ..models import (
    LIVE_STATUSES,
    Booking,
    BookingSource,
    BookingStatus,
    Business,
    EventKind,
    Service,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
)
from ..selectors import availability
from ..web.links import manage_url
from .booking_limits import check_booking_limits
from .client_matching import ClientDetails, find_or_create_client
from .requests import announce_request


def book_appointment(
    *,
    service: Service,
    start: datetime,
    details: ClientDetails,
    staff: StaffMember | None = None,
    answers: dict | None = None,
    source: str = BookingSource.ONLINE,
    request_key: str | None = None,
    now: datetime | None = None,
    hold_until: datetime | None = None,
) -> Booking:
    """Book a free appointment slot with ``staff`` (or the first free staff member).

    With ``hold_until`` the slot is held for an online payment (``services.payments``): the
    booking awaits payment, and nothing is announced until it is paid.
    Raises NotBookable, SlotUnavailable. A repeated ``request_key`` returns the first booking.
    """
    if service.kind != ServiceKind.APPOINTMENT or not _bookable_by(service, source):
        raise NotBookable()
    return _idempotent(
        request_key,
        lambda: _book_appointment(
            service=service,
            start=start,
            details=details,
            staff=staff,
            answers=answers or {},
            source=source,
            request_key=request_key,
            now=now or timezone.now(),
            hold_until=hold_until,
        ),
    )


def _book_appointment(
    *, service, start, details, staff, answers, source, request_key, now, hold_until=None
) -> Booking:
    business = Business.current()
    candidates = [staff] if staff else list(service.staff.filter(is_active=True).order_by("pk"))
    with transaction.atomic():
        for member in candidates:
            StaffMember.objects.select_for_update().filter(pk=member.pk).first()
            if _slot_is_offered(service, member, start, now, business, source):
                is_request = source == BookingSource.ONLINE and service.needs_approval(notice=start - now)
                session = _create_appointment_session(
                    service=service,
                    staff=member,
                    start=start,
                    status=SessionStatus.TENTATIVE if is_request else SessionStatus.SCHEDULED,
                )
                client = find_or_create_client(details=details)
                if source == BookingSource.ONLINE:
                    check_booking_limits(
                        client=client, start=start, now=now, business=business, service=service
                    )
                booking = _create_booking(
                    session=session,
                    client=client,
                    answers=answers,
                    source=source,
                    request_key=request_key,
                    status=BookingStatus.REQUESTED if is_request else BookingStatus.CONFIRMED,
                    hold_until=None if is_request else hold_until,
                )
                if is_request:
                    announce_request(booking)
                elif not hold_until:
                    _announce_new(booking, now=now)
                return booking
    raise SlotUnavailable()


def _slot_is_offered(service, staff, start, now, business, source) -> bool:
    """Clients get only offered slots; the owner may book outside notice and window rules."""
    if source == BookingSource.ONLINE:
        return availability.is_slot_free(
            service=service, staff=staff, start=start, now=now, business=business
        )
    return not Session.objects.filter(
        availability.blocking_sessions(),
        staff=staff,
        blocked_start__lt=start + service.duration + service.buffer_after,
        blocked_end__gt=start - service.buffer_before,
    ).exists()


def _create_appointment_session(
    *, service: Service, staff: StaffMember, start: datetime, status: str = SessionStatus.SCHEDULED
) -> Session:
    end = start + service.duration
    try:
        with transaction.atomic():
            return Session.objects.create(
                service=service,
                staff=staff,
                start=start,
                end=end,
                blocked_start=start - service.buffer_before,
                blocked_end=end + service.buffer_after,
                capacity=1,
                seats_taken=1,
                status=status,
            )
    except IntegrityError as e:  # session_staff_no_overlap on PostgreSQL
        raise SlotUnavailable() from e


def book_class_seat(
    *,
    session: Session,
    details: ClientDetails,
    answers: dict | None = None,
    source: str = BookingSource.ONLINE,
    request_key: str | None = None,
    now: datetime | None = None,
    hold_until: datetime | None = None,
) -> Booking:
    """Take one seat in a class session (held until ``hold_until`` for an online payment).

    Raises NotBookable, OutsidePolicy, SessionFull, AlreadyBooked."""
    service = session.service
    if service.kind != ServiceKind.CLASS or not _bookable_by(service, source):
        raise NotBookable()
    if session.status != SessionStatus.SCHEDULED:
        raise NotBookable()
    now = now or timezone.now()
    if source == BookingSource.ONLINE:
        _check_window(session.start, now)
    return _idempotent(
        request_key,
        lambda: _take_seats(
            sessions=[session],
            details=details,
            answers=answers or {},
            source=source,
            request_key=request_key,
            hold_until=hold_until,
        )[0],
    )


def book_course(
    *,
    service: Service,
    details: ClientDetails,
    answers: dict | None = None,
    source: str = BookingSource.ONLINE,
    request_key: str | None = None,
    now: datetime | None = None,
) -> list[Booking]:
    """Enrol in every session of a course at once, or in none. Raises like ``book_class_seat``."""
    if service.kind != ServiceKind.COURSE or not _bookable_by(service, source):
        raise NotBookable()
    sessions = list(service.sessions.filter(status=SessionStatus.SCHEDULED).order_by("start"))
    if not sessions:
        raise NotBookable()
    if source == BookingSource.ONLINE:
        _check_window(sessions[0].start, now or timezone.now())
    existing = _bookings_for_request(request_key)
    if existing:
        return existing
    try:
        return _take_seats(
            sessions=sessions,
            details=details,
            answers=answers or {},
            source=source,
            request_key=request_key,
            enrollment=uuid.uuid4(),
        )
    except (SessionFull, AlreadyBooked):
        existing = _bookings_for_request(request_key)
        if existing:
            return existing
        raise


def _take_seats(
    *, sessions, details, answers, source, request_key, enrollment=None, hold_until=None
) -> list[Booking]:
    bookings = []
    with transaction.atomic():
        client = find_or_create_client(details=details)
        if source == BookingSource.ONLINE and enrollment is None:
            check_booking_limits(
                client=client, start=sessions[0].start, now=timezone.now(), service=sessions[0].service
            )
        for session in sorted(sessions, key=lambda s: s.pk):
            if Booking.objects.filter(session=session, client=client, status__in=LIVE_STATUSES).exists():
                raise AlreadyBooked()
            taken = Session.objects.filter(
                pk=session.pk, status=SessionStatus.SCHEDULED, seats_taken__lt=F("capacity")
            ).update(seats_taken=F("seats_taken") + 1, sequence=F("sequence") + 1)  # its feed event changes
            if not taken:
                raise SessionFull()
            bookings.append(
                _create_booking(
                    session=session,
                    client=client,
                    answers=answers,
                    source=source,
                    request_key=request_key,
                    enrollment=enrollment,
                    hold_until=hold_until,
                )
            )
        for booking in bookings if not hold_until else []:
            _announce_new(booking, email=booking is bookings[0])
    return bookings


def _create_booking(
    *,
    session,
    client,
    answers,
    source,
    request_key,
    enrollment=None,
    status=BookingStatus.CONFIRMED,
    hold_until=None,
) -> Booking:
    try:
        with transaction.atomic():
            return Booking.objects.create(
                session=session,
                service=session.service,
                client=client,
                answers=answers,
                source=source,
                request_key=request_key,
                enrollment=enrollment,
                price=session.service.price,
                status=BookingStatus.AWAITING_PAYMENT if hold_until else status,
                hold_until=hold_until,
            )
    except IntegrityError as e:  # booking_one_live_per_client_session / one per request
        raise AlreadyBooked() from e


def announce_confirmed(booking: Booking, *, now: datetime | None = None) -> None:
    """A held booking just paid for: its event and confirmation, as any new booking's."""
    _announce_new(booking, now=now)


def _announce_new(booking: Booking, *, email: bool = True, now: datetime | None = None) -> None:
    """The event, and the confirmation unless the session has already begun (the team recording the past)."""
    record_event(
        EventKind.BOOKING_CREATED,
        booking=booking,
        payload={"source": booking.source},
        actor=actor_for_source(booking.source),
    )
    if email and booking.session.start > (now or timezone.now()):
        queue_booking_email(booking=booking, kind="confirmation", manage_url=manage_url(booking))


def _bookable_by(service: Service, source: str) -> bool:
    """Offline services are booked by the team only; archived ones by nobody."""
    if service.is_archived:
        return False
    return service.is_online or source != BookingSource.ONLINE


def _check_window(start: datetime, now: datetime) -> None:
    business = Business.current()
    if start < now + business.min_notice:
        raise OutsidePolicy(SlotUnavailable.default_message)
    if (start - now).days > business.max_advance_days:
        raise OutsidePolicy(SlotUnavailable.default_message)


def _bookings_for_request(request_key: str | None) -> list[Booking]:
    if not request_key:
        return []
    return list(
        Booking.objects.filter(request_key=request_key).select_related("session").order_by("session__start")
    )


def _idempotent(request_key: str | None, book):
    """Run ``book``; a form already submitted (same key) returns its booking instead."""
    existing = _bookings_for_request(request_key)
    if existing:
        return existing[0]
    try:
        return book()
    except (SlotUnavailable, AlreadyBooked):
        existing = _bookings_for_request(request_key)
        if existing:
            return existing[0]
        raise
