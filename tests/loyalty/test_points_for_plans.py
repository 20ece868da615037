"""A class pack bought online earns points at the rate per unit paid online, while the owner's
"class packs bought online earn points too" is on: once per charge, whatever the replays."""

from decimal import Decimal

import pytest

from bookings_app.models import (
    PLAN_PURCHASED,
    PLAN_REFUNDED,
    ClientPlan,
    DomainEvent,
    OutgoingEmail,
    PaymentRefund,
)
from bookings_app.services.payments import send_refund
from bookings_app.services.plan_purchases import pay_plan_order_again
from bookings_app.services.plan_refunds import refund_online_membership, refund_online_pack
from bookings_app.services.plans import save_plan
from loyalty.models import EntryKind, LedgerEntry, Program
from loyalty.selectors import balance_of
from loyalty.services import adjust_points, settle_event
from tests.support.memberships import membership_plan
from tests.support.payments import deliver
from tests.support.plan_sales import open_payment, order_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_classes(yoga):
    return save_plan(
        services=[yoga],
        name="10 classes",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("120.50"),
        currency="EUR",
        one_per_client=True,
    )


def _rate(*, plans: bool) -> None:
    Program.objects.filter(pk=1).update(points_per_currency_unit=2, points_for_plans=plans)


def settle_all() -> None:
    """What loyalty's task does for each event, twice over (a duplicate delivery)."""
    for _ in range(2):
        for event_id in DomainEvent.objects.values_list("pk", flat=True):
            settle_event(event_id=event_id)


def test_a_pack_bought_online_earns_its_points_once(program, ten_classes, alice):
    _rate(plans=True)
    _order, payment = order_pack(ten_classes, alice)
    for _ in range(3):
        deliver(payment)

    settle_all()

    entry = LedgerEntry.objects.get(kind=EntryKind.PAID_ONLINE)
    assert (entry.points, entry.payment_id, entry.booking_id, entry.client) == (241, payment.pk, None, alice)
    assert balance_of(alice) == 241
    assert entry.wording == "Paid online: 120.50 EUR"
    assert DomainEvent.objects.filter(kind="loyalty.points_earned", client=alice).count() == 1
    assert OutgoingEmail.objects.filter(kind="loyalty_points_earned", to=alice.email).count() == 1


def test_nothing_is_earned_while_the_setting_is_off(program, ten_classes, alice):
    _rate(plans=False)
    _order, payment = order_pack(ten_classes, alice)
    deliver(payment)

    settle_all()

    assert DomainEvent.objects.filter(kind=PLAN_PURCHASED).count() == 1
    assert not LedgerEntry.objects.exists()


def test_a_payment_refunded_because_the_pack_was_held_earns_nothing(program, ten_classes, alice):
    _rate(plans=True)
    order, first = order_pack(ten_classes, alice)
    deliver(first, "payment.failed")
    pay_plan_order_again(order=order, provider_name="test")
    second = open_payment(order)
    deliver(first)
    assert deliver(second).code == "refunding"

    settle_all()

    assert PaymentRefund.objects.get().payment == second
    assert list(LedgerEntry.objects.values_list("payment_id", "points")) == [(first.pk, 241)]


def test_the_owner_switches_points_for_plans_on_and_off(client, olivia, program):
    base = {
        "is_enabled": "on",
        "credit_delay_hours": "3",
        "points_per_currency_unit": "1",
        "template_points_earned_subject": "",
        "template_points_earned_body": "",
        "template_balance_changed_subject": "",
        "template_balance_changed_body": "",
    }
    client.force_login(olivia)
    page = client.get("/dashboard/loyalty/settings/").content.decode()
    assert "Class packs and memberships bought online earn points too" in page
    assert client.post("/dashboard/loyalty/settings/", {**base, "points_for_plans": "on"}).status_code == 302
    assert Program.current().points_for_plans
    client.post("/dashboard/loyalty/settings/", base)
    assert not Program.current().points_for_plans


def test_a_membership_bought_online_earns_its_first_months_points_once(program, yoga, alice):
    _rate(plans=True)
    _order, payment = order_pack(membership_plan([yoga]), alice)
    for _ in range(3):
        deliver(payment, saved_card="renews")

    settle_all()

    entry = LedgerEntry.objects.get(kind=EntryKind.PAID_ONLINE)
    assert (entry.points, entry.payment_id, entry.client) == (178, payment.pk, alice)
    assert balance_of(alice) == 178


def test_a_refunded_pack_gives_its_points_back_once(program, ten_classes, alice, olivia):
    _rate(plans=True)
    _order, payment = order_pack(ten_classes, alice)
    deliver(payment)
    settle_all()
    pack = ClientPlan.objects.get(client=alice)

    send_refund(refund_id=refund_online_pack(pack=pack, by=olivia).pk)
    settle_all()

    assert DomainEvent.objects.filter(kind=PLAN_REFUNDED, client=alice).count() == 1
    taken = LedgerEntry.objects.get(kind=EntryKind.PAYMENT_REVERSED)
    assert (taken.points, taken.payment_id, taken.client) == (-241, payment.pk, alice)
    assert taken.wording == "Refunded: 120.50 EUR"
    assert balance_of(alice) == 0


def test_points_of_a_refunded_pack_already_spent_stay_spent(program, ten_classes, alice, olivia):
    _rate(plans=True)
    _order, payment = order_pack(ten_classes, alice)
    deliver(payment)
    settle_all()
    adjust_points(client=alice, points=-200, description="Spent at the desk", by=olivia)
    pack = ClientPlan.objects.get(client=alice)

    send_refund(refund_id=refund_online_pack(pack=pack, by=olivia).pk)
    settle_all()

    assert LedgerEntry.objects.get(kind=EntryKind.PAYMENT_REVERSED).points == -41
    assert balance_of(alice) == 0


def test_a_membership_whose_first_month_is_refunded_gives_its_points_back(program, yoga, alice, olivia):
    _rate(plans=True)
    _order, payment = order_pack(membership_plan([yoga]), alice)
    deliver(payment, saved_card="renews")
    settle_all()

    send_refund(
        refund_id=refund_online_membership(membership=ClientPlan.objects.get(client=alice), by=olivia).pk
    )
    settle_all()

    assert LedgerEntry.objects.get(kind=EntryKind.PAYMENT_REVERSED).points == -178
    assert balance_of(alice) == 0
