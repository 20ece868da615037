"""A sold gift card given back to its buyer (docs/payments.md, "Gift cards sold for money").

The owner refunds a card bought online in full, only while it is unused: its balance intact
and nothing paid with it. Locks, in this order (the order a payment's webhook takes them):
the payment, the order, the card. The refund is asked like a booking's
(``services.payments.request_refund``: committed first, the provider called after, a failure
kept for "Try again"); while it is open the card pays nothing (``redemptions``). When the
provider confirms, ``void_refunded_card`` runs in the transaction that enters the refund in the
ledger: the card is voided there, so the money and the card go together.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings_app.models import Payment, PaymentRefund, RefundStatus
from bookings_app.models.payments import RefundReason
from bookings_app.services import payments as payment_services

from ..errors import LoyaltyError
from ..models import GiftCard, GiftCardOrder, GiftCardOrderStatus


class GiftCardRefundRefused(LoyaltyError):
    default_message = _("This gift card cannot be refunded.")


def refund_sold_gift_card(*, order: GiftCardOrder, by=None) -> PaymentRefund:
    """Ask the provider to give the buyer back all the order paid; the caller then sends it
    (``services.payments.send_refund``). Raises GiftCardRefundRefused with the reason: not
    paid, already refunded or being refunded, or the card was used."""
    with transaction.atomic():
        if order.payment_id is None:
            raise GiftCardRefundRefused(_("This order was never paid."))
        payment = Payment.objects.select_for_update().get(pk=order.payment_id)
        order = GiftCardOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != GiftCardOrderStatus.PAID:
            raise GiftCardRefundRefused(_("This order was never paid."))
        card = GiftCard.objects.select_for_update().get(pk=order.gift_card_id)
        if card.voided_at is not None or payment.refunds.exists():
            raise GiftCardRefundRefused(_("This gift card is refunded already, or its refund is under way."))
        if (
            card.remaining_value != card.initial_value
            or card.redemptions.filter(refunded_at__isnull=True).exists()
        ):
            raise GiftCardRefundRefused(
                _("This gift card has been used: only a card with its whole value left can be refunded.")
            )
        try:
            return payment_services.request_refund(
                payment=payment, amount=payment.refundable, by=by, reason=RefundReason.OWNER
            )
        except payment_services.PaymentError as error:
            raise GiftCardRefundRefused(error.message) from error


def void_refunded_card(payment: Payment, now: datetime) -> None:
    """The purpose's ``refunded`` hook, inside the transaction that enters the refund (payment
    locked): the order's card is worth nothing from now on."""
    order = GiftCardOrder.objects.select_for_update().filter(payment=payment).first()
    if order is None or order.gift_card_id is None:
        return
    GiftCard.objects.select_for_update().filter(pk=order.gift_card_id).first()
    GiftCard.objects.filter(pk=order.gift_card_id, voided_at__isnull=True).update(
        voided_at=now or timezone.now(), remaining_value=0
    )


def refund_in_progress(card: GiftCard) -> bool:
    """A refund of the card's sale is asked and not yet confirmed (the card pays nothing then)."""
    return PaymentRefund.objects.filter(
        payment__gift_card_order__gift_card=card, status__in=(RefundStatus.PENDING, RefundStatus.FAILED)
    ).exists()
