"""Loyalty as a consumer of the outbox: a cancelled or declined booking gives back its gift card
payments and its points, and money paid online earns points (taken back when refunded in full),
in the transaction that marks the event processed for loyalty.

Loyalty never scans the bookings themselves: a lost task waits for the sweep
(``settle_pending_events``), and the cancellations made before loyalty read the outbox were
handed to it by migration ``loyalty.0006``.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bookings_app.models import PLAN_PURCHASED, PLAN_REFUNDED, Booking, EventKind
from bookings_app.services import event_outbox

from ..events import CONSUMER, SETTLED_KINDS
from .payment_points import credit_online_payment, credit_plan_purchase, take_back_refunded_payment
from .points import reverse_points_for_booking
from .redemptions import refund_redemptions

EVENT_GRACE = timedelta(seconds=30)  # younger unprocessed events still have their task on the way


def settle_event(*, event_id: int, now: datetime | None = None) -> bool:
    """Claim the event for loyalty and settle the booking it cancelled or declined; False when
    loyalty processed it already or another worker holds it."""
    now = now or timezone.now()
    if not event_outbox.is_unprocessed(CONSUMER, event_id):
        return False
    with transaction.atomic():
        events = event_outbox.claim_events(CONSUMER, event_id, now=now)
        for event in events:
            if event.kind in SETTLED_KINDS and event.booking_id:
                settle_cancelled_booking(booking_id=event.booking_id)
            elif event.kind == EventKind.PAYMENT_RECEIVED:
                credit_online_payment(payment_id=event.payload.get("payment_id"))
            elif event.kind == PLAN_PURCHASED:
                credit_plan_purchase(payment_id=event.payload.get("payment_id"))
            elif event.kind in (EventKind.REFUND_ISSUED, PLAN_REFUNDED):
                take_back_refunded_payment(payment_id=event.payload.get("payment_id"))
    return bool(events)


def settle_cancelled_booking(*, booking_id: int) -> None:
    """Refund the booking's gift card payments and take back its points, unless it is live."""
    booking = Booking.objects.select_related("client", "service", "session").filter(pk=booking_id).first()
    if booking is None or booking.is_live:
        return
    refund_redemptions(booking=booking)
    reverse_points_for_booking(booking=booking)


def settle_pending_events(*, now: datetime | None = None) -> int:
    """The sweep: the events whose task was lost; returns how many were processed."""
    now = now or timezone.now()
    return event_outbox.sweep(
        CONSUMER, lambda event_id: settle_event(event_id=event_id, now=now), older_than=now - EVENT_GRACE
    )
