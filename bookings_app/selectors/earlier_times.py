"""What the client's booking pages show of "tell me if an earlier time opens"."""

from dataclasses import dataclass

from ..models import Booking, BookingStatus, EarlierTimeRequest, EarlierTimeStatus, ServiceKind, StaffMember


@dataclass(frozen=True)
class EarlierTimeCard:
    """The booking's waiting wish, if any, and whether the client may choose "with anyone"."""

    wish: EarlierTimeRequest | None
    staff: StaffMember
    with_anyone_offered: bool


def earlier_time_card(booking: Booking, *, may_change: bool) -> EarlierTimeCard | None:
    """None when the booking cannot ask (not a confirmed appointment the client may still move).
    Two queries."""
    if not may_change or booking.status != BookingStatus.CONFIRMED:
        return None
    if booking.service.kind != ServiceKind.APPOINTMENT:
        return None
    wish = (
        EarlierTimeRequest.objects.select_related("staff")
        .filter(booking=booking, status=EarlierTimeStatus.WAITING)
        .first()
    )
    others = booking.service.staff.filter(is_active=True).exclude(pk=booking.session.staff_id).exists()
    return EarlierTimeCard(wish=wish, staff=booking.session.staff, with_anyone_offered=others)


def open_wish(booking: Booking) -> EarlierTimeRequest | None:
    """For the team: the booking's waiting wish for an earlier time, with the times it was told
    of (``told``, latest first). Two queries when there is one, one when there is none."""
    wish = (
        EarlierTimeRequest.objects.select_related("staff")
        .filter(booking=booking, status=EarlierTimeStatus.WAITING)
        .first()
    )
    if wish is not None:
        wish.told = list(wish.notices.select_related("staff").order_by("-created_at"))
    return wish
