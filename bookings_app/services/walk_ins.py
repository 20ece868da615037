"""Walk-ins at the front desk: a client without a booking takes a free seat and is checked in."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import AlreadyBooked, NotBookable, SessionFull
from ..core.events import record_event
from ..models import (
    LIVE_STATUSES,
    Actor,
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    Client,
    ClientPlan,
    EventKind,
    PlanKind,
    ServiceKind,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from ..models.waitlist import LIVE_WAITLIST_STATUSES
from . import waitlist
from .bookings import book_class_seat
from .changes import record_attendance
from .client_matching import ClientDetails, find_or_create_client
from .membership_use import use_membership
from .plans import use_credit


def add_walk_in(
    *,
    session: Session,
    details: ClientDetails | None = None,
    client: Client | None = None,
    client_plan_id: int | None = None,
    by,
    now: datetime | None = None,
) -> Booking:
    """Seat a walk-in in a class or course session with a free seat, and check them in.

    Give either ``client`` (someone already known) or ``details`` (found or created by
    e-mail). A class seat goes through ``book_class_seat``; a course walk-in takes only this
    session's seat, not the whole course. All of it is one transaction: a full session
    books nobody. Raises NotBookable (an appointment, a cancelled session), SessionFull,
    AlreadyBooked (the client already holds a place in this session). With ``client_plan_id``
    the client's pack pays for the seat (``plans.use_credit``, its guarded UPDATE), or their
    membership does (``membership_use.use_membership``, under its row lock: its limit per week or
    month and its freezes hold), or PlanCreditRefused books nobody.
    """
    if (details is None) == (client is None):
        raise ValueError("Give either details or client.")
    if client is not None:
        details = ClientDetails(
            email=client.email,
            first_name=client.first_name,
            last_name=client.last_name,
            phone=client.phone,
            language=client.language,
        )
    now = now or timezone.now()
    with transaction.atomic():
        if session.service.kind == ServiceKind.CLASS:
            booking = book_class_seat(session=session, details=details, source=BookingSource.WALK_IN, now=now)
        elif session.service.kind == ServiceKind.COURSE:
            booking = _take_course_session_seat(session=session, details=details)
        else:
            raise NotBookable()
        if client_plan_id is not None:
            _pay_with_plan(client_plan_id, booking=booking, now=now)
        return record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=by, now=now)


def _pay_with_plan(client_plan_id: int, *, booking: Booking, now: datetime) -> None:
    if ClientPlan.objects.filter(pk=client_plan_id, plan__kind=PlanKind.MEMBERSHIP).exists():
        # At the door the session may have started; the membership's other rules hold.
        use_membership(membership_id=client_plan_id, booking=booking, now=now, at_the_door=True)
    else:
        use_credit(client_plan_id=client_plan_id, bookings=[booking], now=now)


def _take_course_session_seat(*, session: Session, details: ClientDetails) -> Booking:
    """One seat in one meeting of a course, guarded like a class seat (conditional UPDATE)."""
    if session.status != SessionStatus.SCHEDULED or session.service.is_archived:
        raise NotBookable()
    client = find_or_create_client(details=details)
    if Booking.objects.filter(session=session, client=client, status__in=LIVE_STATUSES).exists():
        raise AlreadyBooked()
    taken = Session.objects.filter(
        pk=session.pk, status=SessionStatus.SCHEDULED, seats_taken__lt=F("capacity")
    ).update(seats_taken=F("seats_taken") + 1, sequence=F("sequence") + 1)  # its feed event changes
    if not taken:
        raise SessionFull()
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=session,
                service=session.service,
                client=client,
                source=BookingSource.WALK_IN,
                price=session.service.price,
                status=BookingStatus.CONFIRMED,
            )
    except IntegrityError as e:  # booking_one_live_per_client_session
        raise AlreadyBooked() from e
    record_event(
        EventKind.BOOKING_CREATED, booking=booking, payload={"source": booking.source}, actor=Actor.TEAM
    )
    return booking


def seat_from_waitlist_at_the_door(*, entry: WaitlistEntry, by, now: datetime | None = None) -> Booking:
    """A client from the session's waitlist, present at the door, takes the seat of a booked
    client marked no-show, and is checked in.

    The no-show keeps their booking and its attendance (loyalty and automations read them), so
    the session gains one seat for the client at the door, once per no-show. Raises OfferGone
    (no longer in line) and SessionFull (no no-show's seat left to give)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = waitlist._lock_session(entry.session_id)
        entry = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .select_related("client")
            .filter(pk=entry.pk, status__in=LIVE_WAITLIST_STATUSES)
            .first()
        )
        if entry is None:
            raise waitlist.OfferGone(_("This client is no longer on the waitlist."))
        if session.service.kind != "class":  # a course's place is every session, not one door
            raise NotBookable(_("Only a class session's seat can be given at the door."))
        no_shows = Booking.objects.filter(
            session=session, status=BookingStatus.CONFIRMED, attendance=Attendance.NO_SHOW
        ).count()
        given = WaitlistEntry.objects.filter(
            session=session, status=WaitlistStatus.BOOKED, booking__source=BookingSource.WALK_IN
        ).count()
        if no_shows <= given:
            raise SessionFull(_("Only the seat of a client marked no-show can be given at the door."))
        if entry.status == WaitlistStatus.WAITING:
            Session.objects.filter(pk=session.pk).update(capacity=F("capacity") + 1)
            if not waitlist._take_seat(session.pk):
                raise SessionFull()
        entry.session = session
        booking = waitlist._book(entry, now=now, held_until=None, source=BookingSource.WALK_IN)
        return record_attendance(booking=booking, attendance=Attendance.CHECKED_IN, by=by, now=now)
