"""Every change of state in loyalty: one verb, one transaction each.

Split by business line: ``points`` (credit, reverse, adjust), ``gift_cards`` (buy with
points, issue by hand), ``redemptions`` (pay a booking, refund), all writing through
``ledger`` (the balance lock and the entry). The owner's switches live in ``program`` and
``gift_card_products``; ``report_exports`` builds export files. Callers import the verbs from here.
"""

from .gift_card_orders import Gift, deliver_due_gift_cards, pay_order_again, place_gift_card_order
from .gift_card_products import issue_gift_card_by_hand, save_gift_card_product
from .gift_cards import buy_gift_card_with_points, issue_gift_card
from .points import (
    adjust_points,
    credit_points_for_ended_sessions,
    give_points,
    reverse_points_for_booking,
)
from .program import connect_service, save_program_settings
from .redemptions import (
    apply_gift_card_to_booking,
    pay_at_checkout,
    redeem_gift_card,
    refund_redemptions,
)
from .report_exports import build_pending_exports, build_points_export, request_points_export, tidy_exports
from .settlement import settle_cancelled_booking, settle_event, settle_pending_events

__all__ = [
    "Gift",
    "deliver_due_gift_cards",
    "pay_order_again",
    "place_gift_card_order",
    "settle_cancelled_booking",
    "settle_event",
    "settle_pending_events",
    "adjust_points",
    "give_points",
    "apply_gift_card_to_booking",
    "buy_gift_card_with_points",
    "credit_points_for_ended_sessions",
    "issue_gift_card",
    "pay_at_checkout",
    "redeem_gift_card",
    "refund_redemptions",
    "reverse_points_for_booking",
    "build_pending_exports",
    "build_points_export",
    "tidy_exports",
    "connect_service",
    "issue_gift_card_by_hand",
    "request_points_export",
    "save_gift_card_product",
    "save_program_settings",
]
