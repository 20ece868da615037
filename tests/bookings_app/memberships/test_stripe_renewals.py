"""Renewals through Stripe: the saved card charged off-session with the official package against
a loopback server standing in for api.stripe.com."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import Billing, MembershipRenewal, MembershipStatus, Payment, PaymentLedgerEntry
from bookings_app.services.membership_renewals import renew_due_memberships
from bookings_app.services.plans import PlanError, give_plan
from tests.support.fake_stripe import StripeAnswers, loopback_stripe


class FakeStripe(StripeAnswers):
    """Answers PaymentIntent creation: succeeded, or the card declined (402 card_error)."""

    decline = False

    def answer(self, method, path, form):
        if (method, path) != ("POST", "/v1/payment_intents"):
            return super().answer(method, path, form)
        if FakeStripe.decline:
            return 402, {
                "error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."}
            }
        return 200, {
            "id": f"pi_renewal_{len(FakeStripe.calls)}",
            "object": "payment_intent",
            "status": "succeeded",
        }


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    FakeStripe.decline = False
    with loopback_stripe(FakeStripe, settings, monkeypatch) as answers:
        yield answers


@pytest.fixture
def stripe_member(unlimited, alice):
    return give_plan(
        plan=unlimited,
        client=alice,
        now=timezone.now() - timedelta(days=40),
        billing=Billing.PROVIDER,
        provider="stripe",
        provider_customer="cus_alice",
        provider_payment_method="pm_alice_visa",
    )


def test_a_renewal_charges_the_saved_card_off_session_once(fake_stripe, stripe_member):
    now = timezone.now()
    [outcome] = renew_due_memberships(now=now)
    assert renew_due_memberships(now=now) == []

    assert outcome.code == "renewed"
    [(_method, path, form, key)] = fake_stripe.calls
    assert path == "/v1/payment_intents"
    assert form["customer"] == "cus_alice" and form["payment_method"] == "pm_alice_visa"
    assert form["off_session"] == "true" and form["confirm"] == "true"
    assert (form["amount"], form["currency"]) == ("8900", "eur")
    renewal = MembershipRenewal.objects.get()
    assert key == f"rendez-renewal-{renewal.pk}-0"
    payment = Payment.objects.get()
    assert (payment.provider, payment.provider_payment_reference, payment.amount) == (
        "stripe",
        "pi_renewal_1",
        Decimal("89.00"),
    )
    assert PaymentLedgerEntry.objects.get().provider_reference == "pi_renewal_1"


def test_a_declined_card_is_retried_with_a_new_key_then_lapses(fake_stripe, stripe_member):
    fake_stripe.decline = True
    now = timezone.now()
    assert [o.code for o in renew_due_memberships(now=now)] == ["declined"]
    assert [o.code for o in renew_due_memberships(now=now + timedelta(days=1))] == ["declined"]
    assert [o.code for o in renew_due_memberships(now=now + timedelta(days=3))] == ["lapsed"]

    renewal = MembershipRenewal.objects.get()
    assert [key for _method, _path, _form, key in fake_stripe.calls] == [
        f"rendez-renewal-{renewal.pk}-{n}" for n in range(3)
    ]
    assert renewal.last_error == "Your card was declined."
    stripe_member.refresh_from_db()
    assert stripe_member.status == MembershipStatus.LAPSED
    assert not PaymentLedgerEntry.objects.exists()


def test_a_stripe_membership_needs_the_customer_and_the_card(unlimited, alice):
    with pytest.raises(PlanError):
        give_plan(plan=unlimited, client=alice, billing=Billing.PROVIDER, provider="stripe")
