"""The owner moves a booking to what the reschedule page offered (``selectors.move_target``)."""

from ..models import Booking
from ..selectors.rescheduling import MoveTarget
from .changes import move_class_seat, reschedule_appointment


def move_booking(*, booking: Booking, target: MoveTarget, by, notify: bool) -> Booking:
    """A class place to the target's session, an appointment to its start and staff member; the
    client is told only with ``notify``. Raises BookingError."""
    if target.session is not None:
        return move_class_seat(booking=booking, session=target.session, by_client=False, by=by, notify=notify)
    return reschedule_appointment(
        booking=booking, start=target.start, staff=target.staff, by_client=False, by=by, notify=notify
    )
