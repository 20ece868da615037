"""Stripe through the official package against a loopback server standing in for api.stripe.com:
Checkout Sessions, signed webhooks, refunds that succeed or fail; production refuses to start
with Stripe and no keys."""

import os
import secrets
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from bookings_app.models import Booking, BookingStatus, PaymentStatus, RefundStatus
from bookings_app.services import payments
from bookings_app.services.bookings import book_class_seat
from tests import factories
from tests.support.fake_stripe import StripeAnswers, loopback_stripe, signed

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


class FakeStripe(StripeAnswers):
    """Answers the calls Rendez makes (sessions, refunds, the fee's PaymentIntent)."""

    refuse_refunds = False
    fee: int | None = 88  # the balance transaction's fee, in cents; None: not made yet

    def answer(self, method, path, form):
        if method == "GET" and path.startswith("/v1/payment_intents/pi_test_1"):
            return 200, {"id": "pi_test_1", "object": "payment_intent", "latest_charge": _charge()}
        if (method, path) == ("POST", "/v1/checkout/sessions"):
            number = len(FakeStripe.calls)
            return 200, {
                "id": f"cs_test_{number}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/c/{number}",
            }
        if (method, path) == ("POST", "/v1/refunds"):
            if FakeStripe.refuse_refunds:
                return 402, {
                    "error": {"type": "invalid_request_error", "message": "Charge already refunded."}
                }
            return 200, {"id": "re_test_1", "object": "refund", "status": "succeeded"}
        return super().answer(method, path, form)


def _charge() -> dict:
    balance = None
    if FakeStripe.fee is not None:
        balance = {"id": "txn_1", "object": "balance_transaction", "fee": FakeStripe.fee, "currency": "eur"}
    return {"id": "ch_1", "object": "charge", "balance_transaction": balance}


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    FakeStripe.refuse_refunds, FakeStripe.fee = False, 88
    with loopback_stripe(FakeStripe, settings, monkeypatch) as answers:
        yield answers


def _event(
    kind: str, session_id: str, *, amount: int = 2000, currency: str = "eur", event_id: str = "evt_1"
) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "payment_status": "paid",
                "amount_total": amount,
                "currency": currency,
                "payment_intent": "pi_test_1",
            }
        },
    }


def _hold(yoga_session):
    booking = book_class_seat(
        session=yoga_session, details=factories.racer(1), hold_until=payments.hold_deadline()
    )
    return booking, payments.start_payment(booking=booking, provider_name="stripe")


def test_checkout_is_a_stripe_session_and_its_webhook_confirms(client, yoga_session, fake_stripe):
    booking, payment = _hold(yoga_session)
    url = payments.open_checkout(
        payment=payment, success_url="https://x.test/ok", cancel_url="https://x.test/no"
    )
    _method, path, form, key = fake_stripe.calls[0]
    assert url.startswith("https://checkout.stripe.test/") and path == "/v1/checkout/sessions"
    assert (
        form["line_items[0][price_data][unit_amount]"] == "2000"
        and form["line_items[0][price_data][currency]"] == "eur"
    )
    assert form["success_url"] == "https://x.test/ok" and key == f"rendez-checkout-{payment.token}"
    payment.refresh_from_db()
    body, signature = signed(_event("checkout.session.completed", payment.provider_reference))
    webhook = reverse("payments:webhook", args=["stripe"])
    assert client.post(
        webhook, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    ).json() == {"outcome": "confirmed"}
    assert client.post(
        webhook, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    ).json() == {"outcome": "duplicate"}
    booking.refresh_from_db(), payment.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and payment.provider_payment_reference == "pi_test_1"


def test_a_stripe_webhook_with_a_bad_signature_is_400(client, yoga_session, fake_stripe):
    _, payment = _hold(yoga_session)
    payments.open_checkout(payment=payment, success_url="https://x.test/ok", cancel_url="https://x.test/no")
    payment.refresh_from_db()
    body, signature = signed(
        _event("checkout.session.completed", payment.provider_reference), secret="whsec_other"
    )
    webhook = reverse("payments:webhook", args=["stripe"])
    assert (
        client.post(
            webhook, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        ).status_code
        == 400
    )
    assert client.post(webhook, body, content_type="application/json").status_code == 400
    assert Booking.objects.get().status == BookingStatus.AWAITING_PAYMENT


def test_a_stripe_amount_that_is_not_what_is_owed_confirms_nothing(client, yoga_session, fake_stripe):
    _, payment = _hold(yoga_session)
    payments.open_checkout(payment=payment, success_url="https://x.test/ok", cancel_url="https://x.test/no")
    payment.refresh_from_db()
    body, signature = signed(_event("checkout.session.completed", payment.provider_reference, amount=200))
    webhook = reverse("payments:webhook", args=["stripe"])
    assert client.post(
        webhook, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    ).json() == {"outcome": "amount_mismatch"}
    assert Booking.objects.get().status == BookingStatus.AWAITING_PAYMENT


def test_an_expired_stripe_session_releases_the_place(client, yoga_session, fake_stripe):
    _, payment = _hold(yoga_session)
    payments.open_checkout(payment=payment, success_url="https://x.test/ok", cancel_url="https://x.test/no")
    payment.refresh_from_db()
    body, signature = signed(
        _event("checkout.session.expired", payment.provider_reference, event_id="evt_exp")
    )
    response = client.post(
        reverse("payments:webhook", args=["stripe"]),
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert response.json() == {"outcome": "released"}


def test_a_stripe_refund_that_fails_is_shown_then_retried(yoga_session, fake_stripe):
    _, payment = _hold(yoga_session)
    payments.open_checkout(payment=payment, success_url="https://x.test/ok", cancel_url="https://x.test/no")
    payment.refresh_from_db()
    from bookings_app.payments import provider

    body, signature = signed(_event("checkout.session.completed", payment.provider_reference))
    payments.process_provider_event(provider("stripe").parse_webhook(body, {"Stripe-Signature": signature}))
    payment.refresh_from_db()
    fake_stripe.refuse_refunds = True
    refund = payments.send_refund(refund_id=payments.request_refund(payment=payment, amount=Decimal("5")).pk)
    assert refund.status == RefundStatus.FAILED and "already refunded" in refund.error
    fake_stripe.refuse_refunds = False
    refund = payments.retry_refund(refund=refund)
    assert refund.status == RefundStatus.SUCCEEDED and refund.provider_reference == "re_test_1"
    _method, path, form, key = fake_stripe.calls[-1]
    assert path == "/v1/refunds" and form["amount"] == "500" and form["payment_intent"] == "pi_test_1"
    assert key == f"rendez-refund-{refund.pk}-2"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTLY_REFUNDED


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "PAYMENT_PROVIDER",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
    }
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_stripe_without_its_keys():
    production = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "rendez.example",
    }
    result = _manage("check", PAYMENT_PROVIDER="stripe", STRIPE_SECRET_KEY="sk_live_x", **production)
    assert result.returncode != 0 and "STRIPE_WEBHOOK_SECRET" in result.stderr
    result = _manage(
        "check",
        PAYMENT_PROVIDER="stripe",
        STRIPE_SECRET_KEY="sk_live_x",
        STRIPE_WEBHOOK_SECRET="whsec_x",
        **production,
    )
    assert result.returncode == 0, result.stderr


def test_an_order_that_is_not_a_booking_pays_through_stripe_checkout_too(client, studio, fake_stripe):
    from bookings_app.services.client_matching import ClientDetails
    from loyalty.models import GiftCardOrder, GiftCardProduct, Program
    from loyalty.services import place_gift_card_order
    from tests.support.gift_sales import open_payment

    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True, "sells_gift_cards": True})
    card = GiftCardProduct.objects.create(name="Gift card 20", value=Decimal("20.00"), sold_for_money=True)
    order = place_gift_card_order(
        buyer=ClientDetails(email="carla@example.test", first_name="Carla"),
        product=card,
        provider_name="stripe",
    )
    payment = open_payment(order)

    _method, _path, form, _key = fake_stripe.calls[0]
    assert form["line_items[0][price_data][product_data][name]"].startswith("Gift card")
    assert form["customer_email"] == "carla@example.test" and form["metadata[purpose]"] == "gift_card_order"
    body, signature = signed(_event("checkout.session.completed", payment.provider_reference))
    webhook = reverse("payments:webhook", args=["stripe"])
    answer = client.post(webhook, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert answer.json() == {"outcome": "fulfilled"}
    assert GiftCardOrder.objects.get().gift_card.initial_value == Decimal("20.00")


def test_stripes_fee_on_the_charge_is_entered_once(client, yoga_session, fake_stripe):
    from bookings_app.models import PaymentLedgerEntry
    from bookings_app.payments.ledger_check import check_payments_ledger
    from bookings_app.services.fees import record_missing_fees, record_payment_fee

    _, payment = _hold(yoga_session)
    payments.open_checkout(payment=payment, success_url="https://x.test/ok", cancel_url="https://x.test/no")
    payment.refresh_from_db()
    body, signature = signed(_event("checkout.session.completed", payment.provider_reference))
    client.post(
        reverse("payments:webhook", args=["stripe"]),
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    fake_stripe.fee = None  # Stripe has not made the balance transaction yet
    assert record_payment_fee(payment_id=payment.pk) is None
    fake_stripe.fee = 88
    assert record_missing_fees() == 1 and record_missing_fees() == 0

    fee = PaymentLedgerEntry.objects.get(kind="fee")
    assert fee.amount == Decimal("0.88") and fee.currency == "EUR" and fee.charge.kind == "charge"
    assert any(
        path.startswith("/v1/payment_intents/pi_test_1?") for _method, path, _form, _key in fake_stripe.calls
    )
    assert record_payment_fee(payment_id=payment.pk) == fee and check_payments_ledger() == []
