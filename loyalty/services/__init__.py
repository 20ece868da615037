"""Every change of state in loyalty: one verb, one transaction each.

Split by business line: ``points`` (credit, reverse, adjust), ``gift_cards`` (buy with
points, issue by hand), ``redemptions`` (pay a booking, refund), all writing through
``ledger`` (the balance lock and the entry). Callers import the verbs from here.
"""

from .gift_cards import buy_gift_card_with_points, issue_gift_card
from .points import (
    adjust_points,
    credit_points_for_ended_sessions,
    reverse_points_for_booking,
    reverse_points_for_cancelled_bookings,
)
from .redemptions import (
    apply_gift_card_to_booking,
    redeem_gift_card,
    refund_cancelled_redemptions,
    refund_redemptions,
)

__all__ = [
    "adjust_points", "apply_gift_card_to_booking", "buy_gift_card_with_points",
    "credit_points_for_ended_sessions", "issue_gift_card", "redeem_gift_card", "refund_cancelled_redemptions",
    "refund_redemptions", "reverse_points_for_booking", "reverse_points_for_cancelled_bookings",
]
