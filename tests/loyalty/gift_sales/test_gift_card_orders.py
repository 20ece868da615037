"""Gift cards sold for money: the order, its payment through the provider's webhook, one card
per order however often the provider speaks, and a gift e-mailed once on its day."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from bookings_app.models import (
    Business,
    Client,
    DomainEvent,
    OutgoingEmail,
    Payment,
    PaymentLedgerEntry,
    PaymentRefund,
    PaymentStatus,
)
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.payments import send_refund
from loyalty.errors import GiftCardSalesClosed, OrderRefused
from loyalty.events import GIFT_CARD_ISSUED
from loyalty.models import GiftCard, GiftCardOrder, GiftCardOrderStatus, Program
from loyalty.services import deliver_due_gift_cards, pay_order_again, place_gift_card_order, redeem_gift_card
from tests import factories as f
from tests.support.gift_sales import open_payment, order_card
from tests.support.payments import deliver

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localtime(timezone.now(), Business.current().tz).date()


def test_it_issues_the_card_once_however_often_the_provider_says_paid(card_50):
    order, payment = order_card(product=card_50)

    outcomes = [deliver(payment, event_id="evt_same").code for _ in range(10)]
    outcomes += [deliver(payment).code for _ in range(10)]  # ten more events, each its own id

    assert outcomes[0] == "fulfilled"
    assert set(outcomes[1:10]) == {"duplicate"} and set(outcomes[10:]) == {"already_paid"}
    order.refresh_from_db()
    assert order.status == GiftCardOrderStatus.PAID and order.payment == payment
    assert GiftCard.objects.count() == 1
    card = order.gift_card
    assert card.initial_value == card.remaining_value == Decimal("50.00") and card.currency == "EUR"
    assert card.owner.email == "carla@example.test" and card.product == card_50
    assert PaymentLedgerEntry.objects.filter(payment=payment, kind="charge", booking=None).count() == 1
    assert DomainEvent.objects.filter(kind=GIFT_CARD_ISSUED).count() == 1
    sent = OutgoingEmail.objects.get(kind="loyalty_gift_card")
    assert sent.to == "carla@example.test" and sent.attachments[0]["mimetype"] == "application/pdf"
    assert check_payments_ledger() == []


def test_an_amount_of_ones_choice_makes_a_card_of_that_value(selling):
    order, payment = order_card(amount=Decimal("42.50"))
    assert payment.amount == Decimal("42.50") and payment.currency == "EUR"
    assert deliver(payment).code == "fulfilled"
    order.refresh_from_db()
    assert order.gift_card.initial_value == Decimal("42.50") and order.gift_card.product is None


def test_a_tampered_amount_or_currency_issues_nothing(card_50, caplog):
    order, payment = order_card(product=card_50)

    assert deliver(payment, amount=Decimal("0.50")).code == "amount_mismatch"
    assert deliver(payment, currency="USD").code == "amount_mismatch"

    order.refresh_from_db(), payment.refresh_from_db()
    assert order.status == GiftCardOrderStatus.AWAITING_PAYMENT and payment.status == PaymentStatus.PENDING
    assert not GiftCard.objects.exists() and not PaymentLedgerEntry.objects.exists()
    assert "nothing delivered" in caplog.text
    assert deliver(payment).code == "fulfilled"  # the true amount still pays


def test_a_declined_payment_can_be_tried_again(card_50):
    order, payment = order_card(product=card_50)
    assert deliver(payment, "payment.failed").code == "declined"
    order.refresh_from_db()
    assert order.status == GiftCardOrderStatus.AWAITING_PAYMENT and not GiftCard.objects.exists()

    again = pay_order_again(order=order, provider_name="test")
    assert again != payment
    again = open_payment(order)
    assert deliver(again).code == "fulfilled"
    order.refresh_from_db()
    assert order.payment == again and GiftCard.objects.count() == 1


def test_an_abandoned_payment_leaves_the_order_waiting(card_50):
    order, payment = order_card(product=card_50)
    assert deliver(payment, "payment.abandoned").code == "abandoned"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.ABANDONED
    assert pay_order_again(order=order, provider_name="test").status == PaymentStatus.PENDING


def test_a_second_payment_for_a_paid_order_is_refunded_in_full(card_50):
    order, first = order_card(product=card_50)
    deliver(first, "payment.failed")
    pay_order_again(order=order, provider_name="test")
    second = open_payment(order)
    assert deliver(first).code == "fulfilled"  # the declined one succeeded after all

    assert deliver(second).code == "refunding"

    refund = PaymentRefund.objects.get()
    assert (refund.payment, refund.amount, refund.reason) == (second, Decimal("50.00"), "paid_twice")
    send_refund(refund_id=refund.pk)
    second.refresh_from_db()
    assert second.status == PaymentStatus.REFUNDED and GiftCard.objects.count() == 1
    assert check_payments_ledger() == []
    with pytest.raises(OrderRefused):
        pay_order_again(order=order, provider_name="test")


def test_a_gift_for_today_is_emailed_to_its_recipient_once(card_50):
    order, payment = order_card(
        product=card_50, gift_to="dan@example.test", deliver_on=_today(), message="Happy birthday!"
    )
    deliver(payment)

    assert deliver_due_gift_cards() == 0 and deliver_due_gift_cards() == 0
    sent = OutgoingEmail.objects.get(kind="loyalty_gift_delivery")
    assert sent.to == "dan@example.test" and "Happy birthday!" in sent.body_text
    assert "Carla Diaz gives you a 50.00 EUR gift card" in sent.body_text
    assert sent.attachments[0]["mimetype"] == "application/pdf"
    assert not OutgoingEmail.objects.filter(kind="loyalty_gift_card").exists()  # nothing to the card's owner
    order.refresh_from_db()
    assert order.delivered_at is not None and order.gift_card.owner.email == "dan@example.test"


def test_a_gift_for_a_later_day_waits_for_it_and_goes_once(card_50):
    day = _today() + timedelta(days=3)
    order, payment = order_card(product=card_50, gift_to="dan@example.test", deliver_on=day)
    deliver(payment)

    assert deliver_due_gift_cards() == 0
    assert not OutgoingEmail.objects.filter(kind="loyalty_gift_delivery").exists()

    that_morning = timezone.now() + timedelta(days=3)
    assert deliver_due_gift_cards(now=that_morning) == 1
    assert deliver_due_gift_cards(now=that_morning) == 0
    assert OutgoingEmail.objects.filter(kind="loyalty_gift_delivery").count() == 1


def test_an_unpaid_gift_is_never_delivered(card_50):
    order_card(product=card_50, gift_to="dan@example.test", deliver_on=_today())
    assert deliver_due_gift_cards() == 0 and not OutgoingEmail.objects.exists()


def test_the_card_pays_a_booking_like_any_gift_card(card_50, yoga, nina, alice):
    order, payment = order_card(product=card_50)
    deliver(payment)
    order.refresh_from_db()
    booking = f.booking(f.session(yoga, nina, timezone.now() + timedelta(days=2)), alice)

    redemption = redeem_gift_card(code=order.gift_card.code, booking=booking, amount_due=Decimal("20.00"))

    assert redemption.amount == Decimal("20.00")
    order.gift_card.refresh_from_db()
    assert order.gift_card.remaining_value == Decimal("30.00")


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        (Decimal("19.99"), "amount"),
        (Decimal("300.01"), "amount"),
        (Decimal("25.001"), "amount"),
        (None, "amount"),
    ],
)
def test_it_refuses_an_amount_out_of_bounds(selling, amount, field):
    with pytest.raises(OrderRefused) as refusal:
        order_card(amount=amount)
    assert refusal.value.field == field
    assert not GiftCardOrder.objects.exists() and not Payment.objects.exists() and not Client.objects.exists()


def test_it_refuses_a_delivery_day_already_past(card_50):
    with pytest.raises(OrderRefused) as refusal:
        order_card(product=card_50, gift_to="dan@example.test", deliver_on=_today() - timedelta(days=1))
    assert refusal.value.field == "deliver_on" and not GiftCardOrder.objects.exists()


def test_it_refuses_a_product_not_sold_online(card_50):
    card_50.sold_for_money = False
    card_50.save()
    with pytest.raises(OrderRefused) as refusal:
        order_card(product=card_50)
    assert refusal.value.field == "product"


def test_it_sells_nothing_while_sales_are_off(card_50):
    Program.objects.filter(pk=1).update(sells_gift_cards=False)
    with pytest.raises(GiftCardSalesClosed):
        place_gift_card_order(
            buyer=ClientDetails(email="carla@example.test", first_name="Carla"),
            product=card_50,
            provider_name="test",
        )
    assert not GiftCardOrder.objects.exists()


def test_the_ledger_check_command_passes_with_sold_cards(card_50):
    order, payment = order_card(product=card_50)
    deliver(payment)
    call_command("check_payments_ledger")  # exits 1 on any mismatch
