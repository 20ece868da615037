"""The embedded test provider (``PAYMENT_PROVIDER=test``): no account anywhere, no money moves.

Its checkout is Rendez's own page, "Test payment — no money moves", where the client presses
Pay, Decline or Abandon (and it may report a fake fee on each charge: ``PAYMENT_TEST_FEE``).
A checkout that keeps the card (a membership's first month) also asks how the saved card will
answer the renewals (``TestCard``: renews or declines); the paid event carries it as
``data.saved_card``.
Each button writes the event a real provider would send, signs it
with ``PAYMENT_TEST_SECRET`` (HMAC-SHA256 over ``"<timestamp>.<body>"``, Stripe's scheme) and
hands it to the same verification and processing as the webhook endpoint, which accepts
the same signed events from outside (``/payments/webhook/test/``).
"""

import hashlib
import hmac
import json
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

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
)

SIGNATURE_HEADER = "Rendez-Signature"
TOLERANCE_SECONDS = 300
KINDS = {"payment.succeeded": PAID, "payment.failed": FAILED, "payment.abandoned": ABANDONED}


def fee_terms(text: str) -> tuple[Decimal, Decimal] | None:
    """ "2.9%+0.30" as (2.9, 0.30); None for an empty setting."""
    if not text:
        return None
    percent, _plus, fixed = text.replace(" ", "").partition("%+")
    return Decimal(percent), Decimal(fixed)


def fake_fee(amount: Decimal, terms: str) -> Decimal:
    """The fee ``terms`` ("2.9%+0.30") take from ``amount``, rounded half up, at most ``amount``."""
    percent, fixed = fee_terms(terms)
    fee = (amount * percent / 100 + fixed).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(fee, amount)


def _secret() -> bytes:
    return settings.PAYMENT_TEST_SECRET.encode()


def sign(body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(_secret(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def event_body(
    *,
    kind: str,
    reference: str,
    amount: Decimal,
    currency: str,
    event_id: str | None = None,
    saved_card: str = "",
) -> bytes:
    """The JSON the test page sends for a button (and what a test may send itself);
    ``saved_card`` is how a card kept for later charges renews ("renews" or "declines")."""
    data = {"reference": reference, "amount": str(amount), "currency": currency}
    if saved_card:
        data["saved_card"] = saved_card
    return json.dumps({"id": event_id or f"evt_test_{uuid.uuid4().hex}", "type": kind, "data": data}).encode()


def verify(body: bytes, header: str | None, *, now: float | None = None) -> None:
    """Raise BadSignature unless ``header`` signs ``body`` with our secret, recently."""
    try:
        parts = dict(part.split("=", 1) for part in (header or "").split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError) as e:
        raise BadSignature() from e
    if abs((now or time.time()) - timestamp) > TOLERANCE_SECONDS:
        raise BadSignature()
    expected = hmac.new(_secret(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise BadSignature()


class TestProvider:
    name = "test"

    def create_checkout(self, payment, *, success_url: str, cancel_url: str) -> Checkout:
        return Checkout(
            reference=f"test_{payment.token}", url=reverse("payments:test_checkout", args=[payment.token])
        )

    def parse_webhook(self, body: bytes, headers) -> ProviderEvent:
        verify(body, headers.get(SIGNATURE_HEADER))
        try:
            data = json.loads(body)
            event_id, raw_kind, payload = str(data["id"]), str(data["type"]), data.get("data") or {}
            amount = payload.get("amount")
            return ProviderEvent(
                provider=self.name,
                event_id=event_id[:255],
                raw_kind=raw_kind[:80],
                kind=KINDS.get(raw_kind, IGNORED),
                reference=str(payload.get("reference", ""))[:255],
                amount=Decimal(str(amount)) if amount is not None else None,
                currency=str(payload.get("currency", ""))[:3].upper(),
                payment_reference=str(payload.get("reference", ""))[:255],
                saved_card=SavedCard(test_card=str(payload["saved_card"])[:12])
                if payload.get("saved_card")
                else None,
            )
        except (ValueError, TypeError, KeyError, AttributeError, InvalidOperation) as e:
            raise MalformedEvent() from e

    def fee(self, payment) -> tuple[Decimal, str] | None:
        """The fake fee ``PAYMENT_TEST_FEE`` sets ("2.9%+0.30": 2.9 % of the charge plus 0.30,
        rounded half up to the cent, at most the charge); None without it."""
        if not settings.PAYMENT_TEST_FEE:
            return None
        return fake_fee(payment.amount, settings.PAYMENT_TEST_FEE), payment.currency

    def refund(self, payment, refund) -> str:
        if settings.PAYMENT_TEST_REFUNDS_FAIL:
            raise ProviderError("The test provider was told to refuse refunds (PAYMENT_TEST_REFUNDS_FAIL).")
        return f"re_test_{refund.pk}"
