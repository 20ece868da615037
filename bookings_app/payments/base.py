"""What every provider adapter offers, and what it gives back."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..models import Payment, PaymentRefund

# What a provider's event means to Rendez.
PAID = "paid"
FAILED = "failed"
ABANDONED = "abandoned"
IGNORED = "ignored"


class ProviderError(Exception):
    """The provider refused or could not be reached; ``message`` is safe to show the owner."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class BadSignature(Exception):
    """A webhook whose signature does not verify: answered 400, nothing read."""


class MalformedEvent(Exception):
    """A verified webhook whose body is not an event we can read: answered 400."""


@dataclass(frozen=True)
class Checkout:
    reference: str  # the provider's id of the checkout (Stripe: the Checkout Session id)
    url: str  # where the client pays


@dataclass(frozen=True)
class SavedCard:
    """The card a payer agreed to keep for later charges (a membership's monthly renewals):
    Stripe's customer and payment method, or the test provider's stand-in (``TestCard``)."""

    provider_customer: str = ""
    provider_payment_method: str = ""
    test_card: str = ""


@dataclass(frozen=True)
class ProviderEvent:
    provider: str
    event_id: str
    raw_kind: str  # the provider's own name for it
    kind: str  # PAID, FAILED, ABANDONED or IGNORED
    reference: str = ""  # the checkout it is about
    amount: Decimal | None = None
    currency: str = ""
    payment_reference: str = ""  # the provider's payment (Stripe: the PaymentIntent)
    saved_card: SavedCard | None = None  # a paid checkout that saved the card for later


class Provider(Protocol):
    name: str

    def create_checkout(self, payment: "Payment", *, success_url: str, cancel_url: str) -> Checkout: ...

    def parse_webhook(self, body: bytes, headers) -> ProviderEvent: ...

    def refund(self, payment: "Payment", refund: "PaymentRefund") -> str: ...

    def fee(self, payment: "Payment") -> tuple[Decimal, str] | None: ...


CENT = Decimal("0.01")
ZERO_DECIMAL_CURRENCIES = {
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "JPY",
    "KMF",
    "KRW",
    "MGA",
    "PYG",
    "RWF",
    "UGX",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF",
}


def to_minor_units(amount: Decimal, currency: str) -> int:
    """10.50 EUR → 1050; 500 JPY → 500 (what providers count in)."""
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return int(amount)
    return int((amount * 100).to_integral_value())


def from_minor_units(value: int, currency: str) -> Decimal:
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(value)
    return (Decimal(value) / 100).quantize(CENT)
