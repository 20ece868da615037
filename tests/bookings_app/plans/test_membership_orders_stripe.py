"""A membership bought online through Stripe (a loopback server stands in for api.stripe.com):
its Checkout Session keeps the card, and the verified webhook stores the customer and the
payment method read from the PaymentIntent, which the renewals charge off-session."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings_app.models import Billing, ClientPlan, PlanOrder, PlanOrderStatus
from bookings_app.selectors import latest_payment_of
from bookings_app.services import payments
from bookings_app.services.membership_renewals import renew_due_memberships
from bookings_app.services.plan_purchases import place_plan_order
from tests.support.fake_stripe import StripeAnswers, loopback_stripe, signed

pytestmark = pytest.mark.django_db


class FakeStripe(StripeAnswers):
    intent_unreadable = False

    def answer(self, method, path, form):
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, {
                "id": "cs_member_1",
                "object": "checkout.session",
                "url": "https://checkout.stripe.test/c/1",
            }
        if method == "GET" and path.startswith("/v1/payment_intents/pi_member_1"):
            if FakeStripe.intent_unreadable:
                return 500, {"error": {"type": "api_error", "message": "try later"}}
            intent = {"id": "pi_member_1", "object": "payment_intent", "customer": "cus_alice"}
            return 200, {**intent, "payment_method": "pm_alice_visa"}
        if method == "POST" and path == "/v1/payment_intents":
            return 200, {"id": "pi_renewal_1", "object": "payment_intent", "status": "succeeded"}
        return super().answer(method, path, form)


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    FakeStripe.intent_unreadable = False
    with loopback_stripe(FakeStripe, settings, monkeypatch) as answers:
        yield answers


def _paid_event(session_id: str, amount: int = 8900, event_id: str = "evt_member_1", saves_card: bool = True):
    session = {
        "id": session_id,
        "object": "checkout.session",
        "payment_status": "paid",
        "amount_total": amount,
        "currency": "eur",
        "payment_intent": "pi_member_1",
        "customer": "cus_alice",
        "metadata": {"rendez_saves_card": "1"} if saves_card else {},
    }
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "data": {"object": session},
    }


def _order_at_stripe(plan, client):
    order = place_plan_order(plan=plan, client=client, provider_name="stripe")
    payment = latest_payment_of(order)
    payments.open_checkout(payment=payment, success_url="https://x.test/ok", cancel_url="https://x.test/no")
    return order


def _webhook(client, event):
    body, signature = signed(event)
    return client.post(
        reverse("payments:webhook", args=["stripe"]),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


def test_the_membership_checkout_session_keeps_the_card(fake_stripe, unlimited, alice):
    _order_at_stripe(unlimited, alice)

    [(method, path, form, _key)] = fake_stripe.calls
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert form["payment_intent_data[setup_future_usage]"] == "off_session"
    assert form["customer_creation"] == "always" and form["metadata[rendez_saves_card]"] == "1"


def test_a_pack_checkout_session_keeps_no_card(fake_stripe, ten_classes, alice):
    _order_at_stripe(ten_classes, alice)

    [(_method, _path, form, _key)] = fake_stripe.calls
    assert "customer_creation" not in form and "payment_intent_data[setup_future_usage]" not in form


def test_the_paid_webhook_starts_a_membership_with_the_saved_card_renewed_off_session(
    client, fake_stripe, unlimited, alice
):
    order = _order_at_stripe(unlimited, alice)

    responses = [_webhook(client, _paid_event("cs_member_1")) for _ in range(3)]

    assert [r.json()["outcome"] for r in responses] == ["fulfilled", "duplicate", "duplicate"]
    membership = ClientPlan.objects.get()
    assert (membership.billing, membership.provider) == (Billing.PROVIDER, "stripe")
    assert (membership.provider_customer, membership.provider_payment_method) == (
        "cus_alice",
        "pm_alice_visa",
    )
    order.refresh_from_db()
    assert order.status == PlanOrderStatus.PAID and order.client_plan == membership

    [outcome] = renew_due_memberships(now=membership.period_end + timedelta(minutes=1))

    assert outcome.code == "renewed"
    method, path, form, _key = fake_stripe.calls[-1]
    assert (method, path) == ("POST", "/v1/payment_intents")
    assert (form["customer"], form["payment_method"], form["off_session"]) == (
        "cus_alice",
        "pm_alice_visa",
        "true",
    )


def test_stripe_unreadable_answers_503_and_the_retried_webhook_starts_the_membership(
    client, fake_stripe, unlimited, alice
):
    _order_at_stripe(unlimited, alice)
    FakeStripe.intent_unreadable = True

    assert _webhook(client, _paid_event("cs_member_1")).status_code == 503
    assert not ClientPlan.objects.exists()

    FakeStripe.intent_unreadable = False
    assert _webhook(client, _paid_event("cs_member_1")).json()["outcome"] == "fulfilled"
    assert ClientPlan.objects.get().provider_payment_method == "pm_alice_visa"


def test_a_forged_event_without_a_valid_signature_starts_nothing(client, fake_stripe, unlimited, alice):
    _order_at_stripe(unlimited, alice)
    body, _signature = signed(_paid_event("cs_member_1"))

    response = client.post(
        reverse("payments:webhook", args=["stripe"]),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=forged",
    )

    assert response.status_code == 400 and not ClientPlan.objects.exists()
    assert PlanOrder.objects.get().status == PlanOrderStatus.AWAITING_PAYMENT
