"""Racing webhook deliveries for one pack (or membership) bought online, real threads, real
database: one pack per order, one live membership per client and plan, whatever arrives at once."""

import pytest

from bookings_app.models import Billing, ClientPlan, PaymentLedgerEntry, PlanOrder
from bookings_app.payments import provider
from bookings_app.payments.testing import event_body, sign
from bookings_app.services import payments
from tests.support.plan_sales import order_pack
from tests.support.races import CROWD, race

pytestmark = pytest.mark.django_db(transaction=True)


def _paid_event(payment, event_id: str | None = None, saved_card: str = ""):
    body = event_body(
        kind="payment.succeeded",
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
        event_id=event_id,
        saved_card=saved_card,
    )
    return provider("test").parse_webhook(body, {"Rendez-Signature": sign(body)})


def test_one_event_delivered_many_times_at_once_makes_one_pack(ten_classes, alice):
    _order, payment = order_pack(ten_classes, alice)
    event = _paid_event(payment, "evt_dup")

    outcomes = race(lambda _: payments.process_provider_event(event).code, range(CROWD))

    assert outcomes.count("fulfilled") == 1 and set(outcomes) == {"fulfilled", "duplicate"}
    assert ClientPlan.objects.count() == 1
    assert PaymentLedgerEntry.objects.filter(payment=payment, kind="charge").count() == 1


def test_many_paid_events_at_once_make_one_pack(ten_classes, alice):
    _order, payment = order_pack(ten_classes, alice)
    events = [_paid_event(payment) for _ in range(CROWD)]

    outcomes = race(lambda event: payments.process_provider_event(event).code, events)

    assert outcomes.count("fulfilled") == 1 and set(outcomes) == {"fulfilled", "already_paid"}
    assert ClientPlan.objects.count() == 1 and PlanOrder.objects.get().client_plan is not None


def test_two_orders_of_a_one_per_client_plan_paid_at_once_make_one_pack(ten_classes, alice):
    ten_classes.one_per_client = True
    ten_classes.save()
    orders = [order_pack(ten_classes, alice) for _ in range(2)]
    events = [_paid_event(payment) for _order, payment in orders] * (CROWD // 2)

    outcomes = race(lambda event: payments.process_provider_event(event).code, events)

    assert outcomes.count("fulfilled") == 1 and outcomes.count("refunding") == 1
    assert ClientPlan.objects.filter(client=alice).count() == 1


def test_two_membership_orders_paid_at_once_start_one_membership(unlimited, alice):
    orders = [order_pack(unlimited, alice) for _ in range(2)]  # two tabs, both sent to pay
    events = [_paid_event(payment, saved_card="renews") for _order, payment in orders] * (CROWD // 2)

    outcomes = race(lambda event: payments.process_provider_event(event).code, events)

    assert outcomes.count("fulfilled") == 1 and outcomes.count("refunding") == 1
    [membership] = ClientPlan.objects.filter(client=alice)
    assert membership.billing == Billing.PROVIDER and membership.test_card == "renews"
