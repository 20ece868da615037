"""Gift cards sold for money: an order, its online payment, the card issued once it is paid,
and a gift e-mailed to its recipient on its day.

The payment goes through bookings_app's payments for other purposes
(``services.purpose_payments``): the provider's "paid" is checked and entered in the ledger
there, then ``fulfil_gift_card_order`` runs in the same transaction with the payment locked. It
locks the order and issues the card only while the order waits: a replayed or second payment
finds it paid (and the second is refunded), so one order is one card.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings_app.core.events import record_event
from bookings_app.models import Actor, Business, Client, Payment
from bookings_app.services.client_matching import ClientDetails, find_or_create_client
from bookings_app.services.purpose_payments import start_purpose_payment

from ..errors import GiftCardSalesClosed, OrderRefused
from ..events import GIFT_CARD_ISSUED
from ..models import GIFT_CARD_ORDER, GiftCardOrder, GiftCardOrderStatus, GiftCardProduct, Program
from ..notifications import queue_gift_card, queue_gift_delivery, queue_gift_order_thanks
from .gift_cards import DEFAULT_VALIDITY_DAYS, _create_card

DELIVERY_BATCH = 200


@dataclass(frozen=True)
class Gift:
    """Who receives the card, what the buyer writes, and the day it is e-mailed."""

    recipient_name: str
    recipient_email: str
    message: str
    deliver_on: date


def order_price(*, program: Program, product: GiftCardProduct | None, amount: Decimal | None) -> Decimal:
    """What the card costs (and is worth): a product sold online, or an amount within the bounds.

    Raises OrderRefused naming the field."""
    if product is not None:
        if not (product.is_active and product.sold_for_money):
            raise OrderRefused(_("This gift card is not for sale."), field="product")
        return product.value
    if not program.takes_amount_of_choice:
        raise OrderRefused(_("Choose one of the gift cards."), field="product")
    low, high = program.gift_card_min_amount, program.gift_card_max_amount
    if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise OrderRefused(_("Enter an amount such as 40 or 42.50."), field="amount")
    if not low <= amount <= high:
        raise OrderRefused(
            _("Choose an amount from %(low)s to %(high)s.") % {"low": low, "high": high}, field="amount"
        )
    return amount


def place_gift_card_order(
    *,
    buyer: ClientDetails,
    product: GiftCardProduct | None = None,
    amount: Decimal | None = None,
    gift: Gift | None = None,
    provider_name: str,
    now: datetime | None = None,
) -> GiftCardOrder:
    """An order waiting for its payment, and that payment (open its checkout next).

    Raises GiftCardSalesClosed while the owner sells no cards, OrderRefused for a product not
    for sale, an amount out of bounds or a delivery date already past; nothing is written then."""
    now = now or timezone.now()
    program = Program.current()
    if not program.sells_online:
        raise GiftCardSalesClosed()
    business = Business.current()
    price = order_price(program=program, product=product, amount=amount)
    if gift is not None:
        if not gift.recipient_email:
            raise OrderRefused(_("Enter the recipient's e-mail address."), field="recipient_email")
        if gift.deliver_on < timezone.localtime(now, business.tz).date():
            raise OrderRefused(_("Choose today or a later day."), field="deliver_on")
    with transaction.atomic():
        client = find_or_create_client(details=buyer)
        order = GiftCardOrder.objects.create(
            product=product,
            amount=price,
            currency=business.currency.upper(),
            buyer=client,
            is_gift=gift is not None,
            recipient_name=gift.recipient_name.strip() if gift else "",
            recipient_email=gift.recipient_email.strip().lower() if gift else "",
            message=gift.message.strip() if gift else "",
            deliver_on=gift.deliver_on if gift else None,
            language=buyer.language,
            created_at=now,
        )
        start_purpose_payment(
            purpose=GIFT_CARD_ORDER,
            key=order.token,
            amount=price,
            currency=order.currency,
            provider_name=provider_name,
            now=now,
        )
    return order


def pay_order_again(*, order: GiftCardOrder, provider_name: str) -> Payment:
    """After a declined or abandoned payment: the order's open payment, or a new one.

    Raises OrderRefused when the order is paid already."""
    with transaction.atomic():
        order = GiftCardOrder.objects.select_for_update().get(pk=order.pk)
        if order.status == GiftCardOrderStatus.PAID:
            raise OrderRefused(_("This gift card is paid already."))
        return start_purpose_payment(
            purpose=GIFT_CARD_ORDER,
            key=order.token,
            amount=order.amount,
            currency=order.currency,
            provider_name=provider_name,
        )


def fulfil_gift_card_order(payment: Payment, now: datetime, saved_card=None) -> bool:
    """The purpose hook (``plug_ins.payment_purposes``), inside the transaction that entered the
    charge: issue the order's card once. False when the order is paid already (or unknown), and
    bookings_app refunds this payment. A gift card's checkout keeps no card: ``saved_card`` is None."""
    order = (
        GiftCardOrder.objects.select_for_update(of=("self",))
        .select_related("product", "buyer")
        .filter(token=payment.purpose_key)
        .first()
    )
    if order is None or order.status != GiftCardOrderStatus.AWAITING_PAYMENT:
        return False
    owner = order.buyer
    if order.is_gift:
        first, _space, last = order.recipient_name.strip().partition(" ")
        owner = find_or_create_client(
            details=ClientDetails(
                email=order.recipient_email, first_name=first, last_name=last, language=order.language
            )
        )
    card = _create_card(
        product=order.product,
        value=order.amount,
        validity_days=order.product.validity_days if order.product else DEFAULT_VALIDITY_DAYS,
        owner=owner,
        by=None,
    )
    GiftCardOrder.objects.filter(pk=order.pk, status=GiftCardOrderStatus.AWAITING_PAYMENT).update(
        status=GiftCardOrderStatus.PAID, gift_card=card, payment=payment, paid_at=now
    )
    order.refresh_from_db()
    record_event(
        GIFT_CARD_ISSUED,
        client=owner,
        payload={"gift_card_id": card.pk, "value": str(card.initial_value), "order_id": order.pk},
        actor=Actor.CLIENT,
    )
    if not order.is_gift:
        queue_gift_card(gift_card=card, client=owner)
    elif order.buyer.email:
        queue_gift_order_thanks(order=order)
    if order.is_gift and order.deliver_on <= timezone.localtime(now, Business.current().tz).date():
        _deliver(order, now=now)
    return True


def order_sale(payment: Payment) -> tuple[Client, str]:
    """The purpose's ``sale`` hook: the buyer, and the card's last four characters for the
    receipt's line ("Gift card (…AB12)")."""
    order = GiftCardOrder.objects.select_related("buyer", "gift_card").get(token=payment.purpose_key)
    return order.buyer, f"…{order.gift_card.code[-4:]}" if order.gift_card_id else ""


def deliver_due_gift_cards(*, now: datetime | None = None) -> int:
    """Beat: e-mail the paid gifts whose day has come, each once; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localtime(now, Business.current().tz).date()
    due = list(
        GiftCardOrder.objects.filter(
            is_gift=True, status=GiftCardOrderStatus.PAID, delivered_at__isnull=True, deliver_on__lte=today
        )
        .order_by("deliver_on", "pk")
        .values_list("pk", flat=True)[:DELIVERY_BATCH]
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            order = GiftCardOrder.objects.select_related("gift_card", "buyer").get(pk=pk)
            sent += _deliver(order, now=now)
    return sent


def _deliver(order: GiftCardOrder, *, now: datetime) -> bool:
    """Claim the gift (a conditional UPDATE: one caller wins) and queue its e-mail (its dedupe key)."""
    if not GiftCardOrder.objects.filter(pk=order.pk, delivered_at__isnull=True).update(delivered_at=now):
        return False
    recipient = order.gift_card.owner or Client(email=order.recipient_email, language=order.language)
    queue_gift_delivery(order=order, recipient=recipient)
    return True
