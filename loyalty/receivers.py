"""Loyalty's plug into bookings: a cancelled (or declined) booking settles its gift card payments
and points.

``bookings_app`` sends ``event_recorded`` after the cancelling transaction commits; this
receiver only queues a task. It must never raise into the booking code: the beat scans
catch whatever a failure here leaves behind.
"""

import logging

from bookings_app.models import DomainEvent, EventKind

logger = logging.getLogger(__name__)
SETTLED_KINDS = (EventKind.BOOKING_CANCELLED, EventKind.BOOKING_DECLINED)


def settle_on_cancellation(sender, event_id: int, **kwargs) -> None:
    try:
        event = DomainEvent.objects.filter(pk=event_id).values("kind", "booking_id").first()
        if event and event["kind"] in SETTLED_KINDS and event["booking_id"]:
            from .tasks import settle_cancelled_booking

            settle_cancelled_booking.apply_async(args=[event["booking_id"]], retry=False)
    except Exception:
        logger.exception(
            "Could not queue the loyalty settlement of event %s; the beat scan will do it.", event_id
        )
