"""The client's side of "tell me if an earlier time opens": ask, stop, and move to a time told
(docs/waitlist.md, "An earlier time"). Telling is in ``earlier_times``."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError, InvalidTransition, SlotUnavailable
from ..models import (
    Booking,
    BookingStatus,
    EarlierNoticeStatus,
    EarlierTimeNotice,
    EarlierTimeRequest,
    EarlierTimeStatus,
    ServiceKind,
)
from .changes import client_may_change, reschedule_appointment
from .earlier_times import close_wish


class EarlierTimeTaken(SlotUnavailable):
    default_message = _(
        "Sorry, this time was taken by someone else. Your booking stays as it was, and we keep looking."
    )


class EarlierTimePassedOn(BookingError):
    default_message = _(
        "This time was offered to the next client waiting, as you had not taken it. Your booking "
        "stays as it was, and we keep looking."
    )


class EarlierTimeClosed(BookingError):
    default_message = _("This earlier time is no longer offered to you.")


def ask_for_earlier_time(
    *, booking: Booking, with_anyone: bool = False, now: datetime | None = None
) -> EarlierTimeRequest:
    """The client of a confirmed upcoming appointment asks to be told of an earlier time, with the
    same staff member or (``with_anyone``) with anyone who gives the service. Asking twice keeps
    the first wish. Raises InvalidTransition for other bookings."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("service", "session").get(pk=booking.pk)
        if booking.service.kind != ServiceKind.APPOINTMENT or not client_may_change(booking, now=now):
            raise InvalidTransition()
        if booking.status != BookingStatus.CONFIRMED:
            raise InvalidTransition()
        waiting = EarlierTimeRequest.objects.filter(booking=booking, status=EarlierTimeStatus.WAITING).first()
        if waiting is not None:
            return waiting
        return EarlierTimeRequest.objects.create(
            booking=booking,
            client_id=booking.client_id,
            service_id=booking.service_id,
            staff=None if with_anyone else booking.session.staff,
            created_at=now,
        )


def stop_earlier_time(*, booking: Booking, now: datetime | None = None) -> bool:
    """The client no longer wants to be told; False when they were not waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        Booking.objects.select_for_update().filter(pk=booking.pk).first()
        wish = EarlierTimeRequest.objects.filter(booking=booking, status=EarlierTimeStatus.WAITING).first()
        if wish is None:
            return False
        close_wish(wish=wish, status=EarlierTimeStatus.STOPPED, now=now)
    return True


def move_to_earlier_time(*, notice: EarlierTimeNotice, now: datetime | None = None) -> Booking:
    """Move the notice's booking to its time, as the client rescheduling it would (policy, free slot).

    Raises EarlierTimeTaken when the slot is gone (the notice is closed), EarlierTimeClosed when
    the notice was used or withdrawn, and the reschedule's errors (OutsidePolicy, InvalidTransition).
    Locks: the booking, the notice, then what ``reschedule_appointment`` locks."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("service", "session")
            .get(pk=notice.request.booking_id)
        )
        notice = (
            EarlierTimeNotice.objects.select_for_update().select_related("request", "staff").get(pk=notice.pk)
        )
        if notice.status == EarlierNoticeStatus.GONE and notice.request.status == EarlierTimeStatus.WAITING:
            raise EarlierTimeTaken()
        if notice.status == EarlierNoticeStatus.PASSED_ON:
            raise EarlierTimePassedOn()
        if notice.status != EarlierNoticeStatus.SENT:
            raise EarlierTimeClosed()
        if notice.start >= booking.session.start:
            raise EarlierTimeClosed()
        try:
            with transaction.atomic():
                reschedule_appointment(
                    booking=booking, start=notice.start, staff=notice.staff, by_client=True, now=now
                )
        except (SlotUnavailable, IntegrityError):
            taken = True
        else:
            taken = False
        EarlierTimeNotice.objects.filter(pk=notice.pk).update(
            status=EarlierNoticeStatus.GONE if taken else EarlierNoticeStatus.TAKEN, closed_at=now
        )
        if not taken:
            close_wish(wish=notice.request, status=EarlierTimeStatus.MOVED, now=now, keep=notice)
    if taken:
        raise EarlierTimeTaken()
    booking.refresh_from_db()
    return booking
