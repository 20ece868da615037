"""The domain events loyalty records, and the bookings events it reads as a consumer of the outbox.

The kinds are registered from ``LoyaltyConfig.ready`` (``bookings_app.plug_ins.event_kinds``); other apps
(automations' triggers) use these constants, never the strings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bookings_app.models import PLAN_PURCHASED, PLAN_REFUNDED, EventKind


class LoyaltyEventKind(models.TextChoices):
    POINTS_EARNED = "loyalty.points_earned", _("Loyalty points earned")  # payload {"points", "balance"}
    GIFT_CARD_ISSUED = "loyalty.gift_card_issued", _("Gift card issued")  # payload {"gift_card_id", "value"}


POINTS_EARNED = LoyaltyEventKind.POINTS_EARNED.value
GIFT_CARD_ISSUED = LoyaltyEventKind.GIFT_CARD_ISSUED.value

CONSUMER = "loyalty"  # its deliveries in the outbox
# A booking cancelled, declined or released unpaid gives back its gift card payments and its points.
SETTLED_KINDS = (
    EventKind.BOOKING_CANCELLED.value,
    EventKind.BOOKING_DECLINED.value,
    EventKind.BOOKING_HOLD_RELEASED.value,
)
# Money paid online earns points (Program.points_per_currency_unit), taken back when refunded in full.
# A class pack bought online earns at the same rate while Program.points_for_plans is on, and gives
# them back when the owner refunds it.
PAYMENT_KINDS = (
    EventKind.PAYMENT_RECEIVED.value,
    EventKind.REFUND_ISSUED.value,
    PLAN_PURCHASED,
    PLAN_REFUNDED,
)
