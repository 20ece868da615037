"""What the owner may move a booking to: the free slots of a day, a class's other sessions, and
whether a posted choice is one of them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from ..core.errors import SlotUnavailable
from ..models import Booking, BookingStatus, Business, ServiceKind, Session, StaffMember
from . import availability
from .catalog import scheduled_sessions

CLASS_SESSIONS_DAYS = 90
NEXT_FREE_DAY_HORIZON = 28
MOVABLE_KINDS = (ServiceKind.APPOINTMENT, ServiceKind.CLASS)


@dataclass(frozen=True)
class MoveTarget:
    """Where the owner asked to move a booking: a class session, or an appointment's start and staff."""

    start: datetime
    staff: StaffMember
    session: Session | None = None


def may_reschedule(booking: Booking) -> bool:
    """A confirmed appointment or class place, its attendance not yet recorded (a course moves as
    a whole and is not offered)."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and not booking.attendance
        and booking.service.kind in MOVABLE_KINDS
    )


def other_class_sessions(booking: Booking, *, now: datetime | None = None) -> list[Session]:
    """The class's scheduled sessions of the next 90 days, other than the booking's own."""
    now = now or timezone.now()
    sessions = scheduled_sessions(
        service=booking.service, since=now, until=now + timedelta(days=CLASS_SESSIONS_DAYS)
    )
    return [session for session in sessions if session.pk != booking.session_id]


def opening_day(booking: Booking, business: Business) -> date:
    """The day the reschedule page opens on: the booking's own, or today if that has passed."""
    own_day = booking.session.start.astimezone(business.tz).date()
    return max(own_day, timezone.localdate(timezone=business.tz))


def free_slots_with_names(
    booking: Booking, *, day: date, staff: StaffMember | None, business: Business
) -> list[tuple[availability.Slot, str]]:
    """The day's free slots for the booking's service (of ``staff``, or anyone's), each with the
    staff member's name."""
    slots = availability.free_slots(
        service=booking.service, start_date=day, end_date=day, staff=staff, business=business
    )
    names = {member.pk: member.name for member in booking.service.staff.all()}
    return [(slot, names.get(slot.staff_id, "")) for slot in slots]


def next_free_day(
    booking: Booking, *, day: date, staff: StaffMember | None, business: Business
) -> date | None:
    """The first day after ``day`` with a free time, within the search horizon (one query batch)."""
    later = availability.free_slots(
        service=booking.service,
        start_date=day + timedelta(days=1),
        end_date=day + timedelta(days=NEXT_FREE_DAY_HORIZON),
        staff=staff,
        business=business,
    )
    return later[0].start.astimezone(business.tz).date() if later else None


def move_target(
    booking: Booking,
    *,
    business: Business,
    session_id: int | None = None,
    start: datetime | None = None,
    staff_id: int | None = None,
) -> MoveTarget:
    """The class session, or the appointment's start and staff member, chosen for ``booking``.

    Only what the page offers: a session of the same class, or a slot free for that staff
    member (working hours, time off and other sessions hold). Raises SlotUnavailable otherwise.
    """
    if booking.service.kind == ServiceKind.CLASS:
        session = (
            Session.objects.select_related("staff").filter(pk=session_id, service=booking.service).first()
        )
        if session is None:
            raise SlotUnavailable()
        return MoveTarget(start=session.start, staff=session.staff, session=session)
    staff = StaffMember.objects.filter(pk=staff_id, services=booking.service).first()
    if start is None or staff is None:
        raise SlotUnavailable()
    if not availability.is_slot_free(service=booking.service, staff=staff, start=start, business=business):
        raise SlotUnavailable()
    return MoveTarget(start=start, staff=staff)
