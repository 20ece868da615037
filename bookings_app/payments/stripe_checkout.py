"""Stripe (``PAYMENT_PROVIDER=stripe``): a hosted Checkout Session per payment, so no card data
ever touches Rendez; its webhook verified by ``stripe.Webhook.construct_event`` with
``STRIPE_WEBHOOK_SECRET``; refunds through ``stripe.Refund`` with one idempotency key per
refund; the fee read from the charge's balance transaction (``stripe.PaymentIntent.retrieve``).

A checkout that keeps the card (a membership's first month, ``plug_ins.payment_purposes.saves_card``)
asks Stripe for a customer (``customer_creation="always"``) and to save the card for off-session
charges (``payment_intent_data.setup_future_usage``); its paid webhook reads the customer and the
payment method from the PaymentIntent, for the renewals (``payments/recurring.py``).

Every call passes ``STRIPE_SECRET_KEY`` itself (nothing global is set but ``stripe.api_base``
by the tests, which point it at a loopback server).
"""

import json
import logging
from datetime import timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..plug_ins.payment_purposes import purpose_of, saves_card
from .base import (
    ABANDONED,
    FAILED,
    IGNORED,
    PAID,
    BadSignature,
    Checkout,
    MalformedEvent,
    ProviderError,
    ProviderEvent,
    SavedCard,
    from_minor_units,
    to_minor_units,
)

log = logging.getLogger("rendez.payments")

# Stripe refuses a Checkout Session that expires sooner than 30 minutes after it is made; a
# payment that arrives after Rendez released the hold is handled as a late payment.
STRIPE_MIN_EXPIRY = timedelta(minutes=31)
TIMEOUT_SECONDS = 10
SAVES_CARD = "rendez_saves_card"  # the Checkout Session's metadata key of a checkout keeping the card

# A client's booking request waits on Stripe: at most TIMEOUT_SECONDS and no retry (the
# library's defaults are 80 s and two retries). Pressing again is safe: every call carries an
# idempotency key, and refunds are retried by their beat sweep.
stripe.default_http_client = stripe.new_default_http_client(timeout=TIMEOUT_SECONDS)
stripe.max_network_retries = 0


class StripeProvider:
    name = "stripe"

    def create_checkout(self, payment, *, success_url: str, cancel_url: str) -> Checkout:
        name, email, metadata, held_until = _what_is_paid(payment)
        card_saving = _card_saving(payment)
        if card_saving:
            metadata[SAVES_CARD] = "1"
        expires = max(held_until or timezone.now(), timezone.now() + STRIPE_MIN_EXPIRY)
        try:
            session = stripe.checkout.Session.create(
                api_key=settings.STRIPE_SECRET_KEY,
                idempotency_key=f"rendez-checkout-{payment.token}",
                mode="payment",
                line_items=[
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": payment.currency.lower(),
                            "unit_amount": to_minor_units(payment.amount, payment.currency),
                            "product_data": {"name": name[:250]},
                        },
                    }
                ],
                client_reference_id=payment.token,
                metadata={"rendez_payment": payment.token, **metadata},
                customer_email=email or None,
                success_url=success_url,
                cancel_url=cancel_url,
                expires_at=int(expires.timestamp()),
                **card_saving,
            )
        except stripe.StripeError as error:
            log.warning("stripe checkout refused for payment %s: %s", payment.pk, error)
            raise ProviderError(_("The payment page could not be opened. Please try again.")) from error
        return Checkout(reference=session.id, url=session.url)

    def parse_webhook(self, body: bytes, headers) -> ProviderEvent:
        try:
            stripe.Webhook.construct_event(
                body, headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
            )
        except stripe.SignatureVerificationError as e:
            raise BadSignature() from e
        except ValueError as e:
            raise MalformedEvent() from e
        try:  # verified: read the body as plain JSON
            event = json.loads(body)
            raw_kind = event["type"]
            session = event["data"]["object"]
            kind = IGNORED
            if raw_kind == "checkout.session.completed" and session.get("payment_status") == "paid":
                kind = PAID
            elif raw_kind == "checkout.session.async_payment_succeeded":
                kind = PAID
            elif raw_kind == "checkout.session.async_payment_failed":
                kind = FAILED
            elif raw_kind == "checkout.session.expired":
                kind = ABANDONED
            currency = str(session.get("currency") or "").upper()
            total = session.get("amount_total")
            saved_card = _saved_card(session) if kind == PAID else None
            return ProviderEvent(
                provider=self.name,
                event_id=str(event["id"])[:255],
                raw_kind=str(raw_kind)[:80],
                kind=kind,
                reference=str(session.get("id") or "")[:255],
                amount=from_minor_units(int(total), currency) if total is not None else None,
                currency=currency[:3],
                payment_reference=str(session.get("payment_intent") or "")[:255],
                saved_card=saved_card,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise MalformedEvent() from e

    def fee(self, payment) -> tuple[Decimal, str] | None:
        """Stripe's fee on the charge: its balance transaction's ``fee`` (None until Stripe
        has made it, or without a PaymentIntent yet)."""
        if not payment.provider_payment_reference:
            return None
        try:
            intent = stripe.PaymentIntent.retrieve(
                payment.provider_payment_reference,
                api_key=settings.STRIPE_SECRET_KEY,
                expand=["latest_charge.balance_transaction"],
            )
        except stripe.StripeError as error:
            log.warning("stripe fee of payment %s not read: %s", payment.pk, error)
            raise ProviderError(str(error)[:450] or error.__class__.__name__) from error
        charge = intent.to_dict().get("latest_charge")
        balance = charge.get("balance_transaction") if isinstance(charge, dict) else None
        if not isinstance(balance, dict) or balance.get("fee") is None:
            return None
        currency = str(balance.get("currency") or "").upper()
        return from_minor_units(int(balance["fee"]), currency), currency

    def refund(self, payment, refund) -> str:
        if not payment.provider_payment_reference:
            raise ProviderError(_("Stripe has not told which payment to refund yet."))
        try:
            result = stripe.Refund.create(
                api_key=settings.STRIPE_SECRET_KEY,
                idempotency_key=f"rendez-refund-{refund.pk}-{refund.attempts}",
                payment_intent=payment.provider_payment_reference,
                amount=to_minor_units(Decimal(refund.amount), payment.currency),
                metadata={"rendez_refund": str(refund.pk)},
            )
        except stripe.StripeError as error:
            log.warning("stripe refund %s failed: %s", refund.pk, error)
            message = getattr(error, "user_message", None) or str(error) or error.__class__.__name__
            raise ProviderError(message[:450]) from error
        if getattr(result, "status", "") == "failed":
            raise ProviderError(_("Stripe could not refund this payment."))
        return result.id


def _card_saving(payment) -> dict:
    """The Checkout Session's arguments that keep the payer's card for off-session charges."""
    if payment.booking_id is not None or not saves_card(payment):
        return {}
    return {
        "customer_creation": "always",
        "payment_intent_data": {"setup_future_usage": "off_session"},
    }


def _saved_card(session: dict) -> SavedCard | None:
    """The customer and the card a paid session kept, read from its PaymentIntent; None for a
    session that keeps no card. Raises ProviderError when Stripe cannot be read (the webhook
    answers 503 and Stripe sends it again)."""
    if (session.get("metadata") or {}).get(SAVES_CARD) != "1" or not session.get("payment_intent"):
        return None
    try:
        intent = stripe.PaymentIntent.retrieve(
            str(session["payment_intent"]), api_key=settings.STRIPE_SECRET_KEY
        ).to_dict()
    except stripe.StripeError as error:
        log.warning("stripe payment intent of session %s not read: %s", session.get("id"), error)
        raise ProviderError(str(error)[:450] or error.__class__.__name__) from error
    method = intent.get("payment_method")
    customer = intent.get("customer") or session.get("customer")
    return SavedCard(
        provider_customer=str(customer.get("id") if isinstance(customer, dict) else customer or ""),
        provider_payment_method=str(method.get("id") if isinstance(method, dict) else method or ""),
    )


def _what_is_paid(payment) -> tuple[str, str, dict, object]:
    """(line name, client's e-mail, metadata, held until) for a booking's or an order's payment."""
    booking = payment.booking
    if booking is not None:
        return booking.service.name, booking.client.email, {"booking": booking.code}, booking.hold_until
    purpose = purpose_of(payment)
    name, email = purpose.describe(payment) if purpose else (payment.purpose, "")
    return name, email, {"purpose": payment.purpose}, None
