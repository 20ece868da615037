"""Packs bought online: the order, its payment through the provider's webhook, one pack per
order however often the provider speaks, and the refusals (docs/plans.md, "Buying a pack online")."""

from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.display.receipts import receipt_context
from bookings_app.models import (
    PLAN_PURCHASED,
    ClientPlan,
    ClientPlanSource,
    DomainEvent,
    OutgoingEmail,
    PaymentLedgerEntry,
    PaymentRefund,
    PaymentStatus,
    PlanOrder,
    PlanOrderStatus,
    Receipt,
)
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.services.payments import send_refund
from bookings_app.services.plan_purchases import PlanOrderRefused, pay_plan_order_again, place_plan_order
from bookings_app.services.plans import PlanError, give_plan, set_plan_archived
from tests.support.payments import deliver
from tests.support.plan_sales import open_payment, order_pack

pytestmark = pytest.mark.django_db


def test_a_paid_order_makes_one_pack_however_often_the_provider_says_paid(ten_classes, alice):
    order, payment = order_pack(ten_classes, alice)
    assert (payment.amount, payment.currency, payment.purpose) == (Decimal("150.00"), "EUR", "plan_order")

    outcomes = [deliver(payment, event_id="evt_same").code for _ in range(10)]
    outcomes += [deliver(payment).code for _ in range(10)]  # ten more events, each its own id

    assert outcomes[0] == "fulfilled"
    assert set(outcomes[1:10]) == {"duplicate"} and set(outcomes[10:]) == {"already_paid"}
    order.refresh_from_db()
    pack = ClientPlan.objects.get()
    assert order.status == PlanOrderStatus.PAID and order.client_plan == pack and order.payment == payment
    assert (pack.client, pack.plan, pack.credits_total, pack.credits_used) == (alice, ten_classes, 10, 0)
    assert pack.source == ClientPlanSource.ONLINE and pack.price_paid == Decimal("150.00")
    assert pack.valid_until > timezone.now()
    assert PaymentLedgerEntry.objects.filter(payment=payment, kind="charge", booking=None).count() == 1
    event = DomainEvent.objects.get(kind=PLAN_PURCHASED)
    assert event.client == alice and event.payload["plan_name"] == "10 classes"
    assert event.payload["payment_id"] == payment.pk and event.payload["amount"] == "150.00"
    assert check_payments_ledger() == []


def test_a_pack_bought_online_has_the_buyers_receipt_emailed_once(ten_classes, alice):
    order, payment = order_pack(ten_classes, alice)
    for _ in range(3):
        deliver(payment, event_id="evt_once")

    receipt = Receipt.objects.get()
    assert (receipt.booking, receipt.payment, receipt.display_number) == (None, payment, "R-000001")
    assert receipt.amount == Decimal("150.00") and receipt.snapshot["client"]["email"] == alice.email
    assert receipt_context(receipt)["line"] == "Plan (10 classes)"
    assert OutgoingEmail.objects.filter(kind="receipt", to=alice.email).count() == 1


@pytest.mark.parametrize(
    "amount, currency", [(Decimal("1.00"), "EUR"), (Decimal("150.00"), "USD"), (Decimal("150.01"), "EUR")]
)
def test_a_tampered_amount_or_currency_makes_no_pack(ten_classes, alice, amount, currency):
    order, payment = order_pack(ten_classes, alice)

    assert deliver(payment, amount=amount, currency=currency).code == "amount_mismatch"

    order.refresh_from_db()
    assert order.status == PlanOrderStatus.AWAITING_PAYMENT
    assert not ClientPlan.objects.exists() and not PaymentLedgerEntry.objects.exists()


def test_a_declined_payment_can_be_tried_again(ten_classes, alice):
    order, payment = order_pack(ten_classes, alice)
    assert deliver(payment, "payment.failed").code == "declined"

    again = pay_plan_order_again(order=order, provider_name="test")

    assert again.pk != payment.pk and again.status == PaymentStatus.PENDING
    payments_open = open_payment(order)
    assert deliver(payments_open).code == "fulfilled" and ClientPlan.objects.count() == 1


def test_a_second_payment_for_a_paid_order_is_refunded_in_full(ten_classes, alice):
    order, first = order_pack(ten_classes, alice)
    deliver(first, "payment.failed")
    pay_plan_order_again(order=order, provider_name="test")
    second = open_payment(order)
    assert deliver(first).code == "fulfilled"  # the declined one went through after all

    assert deliver(second).code == "refunding"

    refund = PaymentRefund.objects.get()
    assert (refund.payment, refund.amount, refund.reason) == (second, Decimal("150.00"), "paid_twice")
    send_refund(refund_id=refund.pk)
    second.refresh_from_db()
    assert second.status == PaymentStatus.REFUNDED and ClientPlan.objects.count() == 1
    assert check_payments_ledger() == []
    with pytest.raises(PlanOrderRefused):
        pay_plan_order_again(order=order, provider_name="test")


def test_a_one_per_client_plan_is_refused_to_a_client_who_holds_it(ten_classes, alice):
    ten_classes.one_per_client = True
    ten_classes.save()
    give_plan(plan=ten_classes, client=alice)

    with pytest.raises(PlanOrderRefused, match="one per client"):
        place_plan_order(plan=ten_classes, client=alice, provider_name="test")

    assert not PlanOrder.objects.exists()


def test_a_one_per_client_plan_given_while_the_client_pays_is_refunded(ten_classes, alice):
    ten_classes.one_per_client = True
    ten_classes.save()
    order, payment = order_pack(ten_classes, alice)
    give_plan(plan=ten_classes, client=alice)  # the desk was quicker

    assert deliver(payment).code == "refunding"

    order.refresh_from_db()
    assert order.status == PlanOrderStatus.REFUSED and order.client_plan is None
    assert ClientPlan.objects.count() == 1 and ClientPlan.objects.get().source == ClientPlanSource.SOLD
    refund = PaymentRefund.objects.get()
    assert refund.payment == payment and refund.amount == Decimal("150.00")
    send_refund(refund_id=refund.pk)
    assert check_payments_ledger() == []
    assert not DomainEvent.objects.filter(kind=PLAN_PURCHASED).exists()
    with pytest.raises(PlanError):  # nor can the desk give it a second time
        give_plan(plan=ten_classes, client=alice)


def test_a_one_per_client_order_is_not_paid_again_once_the_client_holds_the_plan(ten_classes, alice):
    ten_classes.one_per_client = True
    ten_classes.save()
    order, payment = order_pack(ten_classes, alice)
    deliver(payment, "payment.failed")
    give_plan(plan=ten_classes, client=alice)

    with pytest.raises(PlanOrderRefused, match="one per client"):
        pay_plan_order_again(order=order, provider_name="test")


def test_an_archived_or_free_plan_is_not_sold_online(ten_classes, alice):
    set_plan_archived(plan=ten_classes, archived=True)
    with pytest.raises(PlanOrderRefused, match="no longer on sale"):
        place_plan_order(plan=ten_classes, client=alice, provider_name="test")
    set_plan_archived(plan=ten_classes, archived=False)
    ten_classes.price = Decimal("0")
    ten_classes.save()
    with pytest.raises(PlanOrderRefused, match="not sold online"):
        place_plan_order(plan=ten_classes, client=alice, provider_name="test")
    assert not PlanOrder.objects.exists()


def test_an_order_keeps_its_price_when_the_plan_changes(ten_classes, alice):
    order, payment = order_pack(ten_classes, alice)
    ten_classes.price = Decimal("99.00")
    ten_classes.save()

    assert deliver(payment).code == "fulfilled"
    assert ClientPlan.objects.get().price_paid == Decimal("150.00")


def test_an_abandoned_payment_leaves_the_order_waiting(ten_classes, alice):
    order, payment = order_pack(ten_classes, alice)
    assert deliver(payment, "payment.abandoned").code == "abandoned"
    order.refresh_from_db()
    assert order.status == PlanOrderStatus.AWAITING_PAYMENT and not ClientPlan.objects.exists()


def test_the_desk_cannot_record_a_pack_as_bought_online(ten_classes, alice):
    with pytest.raises(PlanError):
        give_plan(plan=ten_classes, client=alice, source=ClientPlanSource.ONLINE)
