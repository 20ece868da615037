"""Memberships bought online: the first month paid through the plan order's checkout, the
membership started with billing through the provider and the card the checkout kept, one
membership per order however often the provider speaks, and the refusals (docs/plans.md,
"Signing up to a membership online")."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.display.receipts import receipt_context
from bookings_app.models import (
    PLAN_PURCHASED,
    Billing,
    ClientPlan,
    ClientPlanSource,
    DomainEvent,
    MembershipStatus,
    OutgoingEmail,
    PaymentRefund,
    PlanOrder,
    PlanOrderStatus,
    Receipt,
)
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.plug_ins.payment_purposes import saves_card
from bookings_app.services.membership_renewals import renew_due_memberships
from bookings_app.services.memberships import cancel_membership
from bookings_app.services.payments import send_refund
from bookings_app.services.plan_purchases import PlanOrderRefused, pay_plan_order_again, place_plan_order
from tests.support.memberships import member
from tests.support.payments import deliver
from tests.support.plan_sales import open_payment, order_pack

pytestmark = pytest.mark.django_db


def test_a_paid_membership_order_starts_one_membership_renewed_by_the_provider(unlimited, alice):
    order, payment = order_pack(unlimited, alice)
    assert (payment.amount, payment.purpose) == (Decimal("89.00"), "plan_order") and saves_card(payment)

    outcomes = [deliver(payment, event_id="evt_same", saved_card="renews").code for _ in range(5)]
    outcomes += [deliver(payment, saved_card="renews").code for _ in range(5)]

    assert outcomes[0] == "fulfilled"
    assert set(outcomes[1:5]) == {"duplicate"} and set(outcomes[5:]) == {"already_paid"}
    membership = ClientPlan.objects.get()
    order.refresh_from_db()
    assert order.status == PlanOrderStatus.PAID and order.client_plan == membership
    assert (membership.client, membership.plan, membership.source) == (
        alice,
        unlimited,
        ClientPlanSource.ONLINE,
    )
    assert membership.status == MembershipStatus.ACTIVE and membership.price_paid == Decimal("89.00")
    assert (membership.billing, membership.provider, membership.test_card) == (
        Billing.PROVIDER,
        "test",
        "renews",
    )
    assert membership.next_renewal_at == membership.period_end > timezone.now() + timedelta(days=27)
    assert check_payments_ledger() == []


def test_a_pack_order_keeps_no_card(ten_classes, alice):
    order, payment = order_pack(ten_classes, alice)
    assert not saves_card(payment)


def test_the_card_chosen_at_checkout_is_the_one_beat_renews_with(unlimited, alice):
    order, payment = order_pack(unlimited, alice)
    deliver(payment, saved_card="declines")
    membership = ClientPlan.objects.get()
    assert membership.test_card == "declines"

    renew_due_memberships(now=membership.next_renewal_at + timedelta(minutes=1))

    membership.refresh_from_db()
    assert membership.renewal_failures == 1 and membership.status == MembershipStatus.ACTIVE


def test_beat_renews_a_membership_bought_online(unlimited, alice):
    order, payment = order_pack(unlimited, alice)
    deliver(payment, saved_card="renews")
    membership = ClientPlan.objects.get()
    first_end = membership.period_end

    [outcome] = renew_due_memberships(now=first_end + timedelta(minutes=1))

    membership.refresh_from_db()
    assert outcome.code == "renewed" and membership.period_start == first_end
    assert membership.next_renewal_at > first_end + timedelta(days=27)


def test_a_payment_without_a_kept_card_starts_a_membership_renewed_at_the_desk(unlimited, alice):
    order, payment = order_pack(unlimited, alice)

    assert deliver(payment).code == "fulfilled"  # an event from outside the test page, no card

    membership = ClientPlan.objects.get()
    assert membership.billing == Billing.DESK and membership.test_card == ""


def test_a_membership_bought_online_has_its_receipt_event_and_payload(unlimited, alice):
    order, payment = order_pack(unlimited, alice)
    for _ in range(3):
        deliver(payment, event_id="evt_once", saved_card="renews")

    receipt = Receipt.objects.get()
    assert receipt.payment == payment and receipt.amount == Decimal("89.00")
    assert receipt_context(receipt)["line"] == "Plan (Unlimited)"
    assert OutgoingEmail.objects.filter(kind="receipt", to=alice.email).count() == 1
    event = DomainEvent.objects.get(kind=PLAN_PURCHASED)
    assert event.client == alice and event.payload["plan_kind"] == "membership"
    assert event.payload["client_plan_id"] == ClientPlan.objects.get().pk


def test_a_second_payment_for_a_paid_membership_order_is_refunded_and_makes_no_second(unlimited, alice):
    order, first = order_pack(unlimited, alice)
    deliver(first, "payment.failed")
    pay_plan_order_again(order=order, provider_name="test")
    second = open_payment(order)
    assert deliver(first, saved_card="renews").code == "fulfilled"

    assert deliver(second, saved_card="renews").code == "refunding"

    refund = PaymentRefund.objects.get()
    assert (refund.payment, refund.amount) == (second, Decimal("89.00"))
    send_refund(refund_id=refund.pk)
    assert ClientPlan.objects.count() == 1 and check_payments_ledger() == []


def test_a_member_is_refused_the_same_membership_with_the_reason(unlimited, alice):
    member(unlimited, alice, now=timezone.now())

    with pytest.raises(PlanOrderRefused, match="already a member"):
        place_plan_order(plan=unlimited, client=alice, provider_name="test")

    assert not PlanOrder.objects.exists()


def test_a_cancelling_member_is_refused_too_but_an_ended_one_may_join_again(unlimited, alice):
    membership = member(unlimited, alice, now=timezone.now())
    cancel_membership(membership=membership)
    with pytest.raises(PlanOrderRefused, match="already a member"):
        place_plan_order(plan=unlimited, client=alice, provider_name="test")

    cancel_membership(membership=membership, at_once=True)

    order, _payment = order_pack(unlimited, alice)
    assert order.status == PlanOrderStatus.AWAITING_PAYMENT


def test_two_orders_paid_by_a_client_make_one_membership_and_refund_the_other(unlimited, alice):
    first, first_payment = order_pack(unlimited, alice)
    second, second_payment = order_pack(unlimited, alice)  # two tabs, neither paid yet

    assert deliver(first_payment, saved_card="renews").code == "fulfilled"
    assert deliver(second_payment, saved_card="renews").code == "refunding"

    second.refresh_from_db()
    assert second.status == PlanOrderStatus.REFUSED and ClientPlan.objects.count() == 1
    assert PaymentRefund.objects.get().payment == second_payment
    assert DomainEvent.objects.filter(kind=PLAN_PURCHASED).count() == 1


def test_an_order_is_not_paid_again_once_the_client_is_a_member(unlimited, alice):
    order, payment = order_pack(unlimited, alice)
    deliver(payment, "payment.failed")
    member(unlimited, alice, now=timezone.now())

    with pytest.raises(PlanOrderRefused, match="already a member"):
        pay_plan_order_again(order=order, provider_name="test")
