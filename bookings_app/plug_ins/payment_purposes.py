"""Online payments for something that is not a booking: a registry other apps fill in.

bookings_app takes the money (checkout, webhook, ledger) but knows nothing of what another
app sells. An app that sells something online (loyalty: gift cards) registers a purpose from
its ``AppConfig.ready()``::

    register_payment_purpose(
        "gift_card_order", paid=fulfil_order, describe=order_wording, return_url=order_page
    )

and starts a payment with ``services.purpose_payments.start_purpose_payment(purpose=…, key=…)``.

- ``paid(payment, now, saved_card)`` runs inside the transaction that enters the charge in the
  ledger, with the payment row locked, once per payment. ``saved_card`` is the card the payer
  agreed to keep for later charges (``payments.base.SavedCard``), or None. It returns False when
  the order no longer wants the money (it was paid by another payment already): the payment is
  then refunded in full.
- ``saves_card(payment)``, when given and true, has the checkout keep the payer's card for later
  charges (Stripe: ``setup_future_usage``; the test page: how the card renews).
- ``describe(payment)`` is (what is bought, the buyer's e-mail) for the provider's page.
- ``return_url(payment)`` is the purpose's own page, where the client comes back from the provider.
- ``label`` names what is sold in the owner's payments list and revenue ("Gift card").
- ``sale(payment)`` is (the client who bought it, the receipt's line) for its numbered receipt
  and credit note (``services.receipts``); without it a sale has no receipt.
- ``refunded(payment, now)`` runs inside the transaction that enters a refund of the payment
  in the ledger, with the payment locked: what was sold is taken back (loyalty voids the card).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from ..models import Client, Payment
from ..payments.base import SavedCard


@dataclass(frozen=True)
class PaymentPurpose:
    key: str
    paid: Callable[[Payment, datetime, SavedCard | None], bool]
    describe: Callable[[Payment], tuple[str, str]]
    return_url: Callable[[Payment], str]
    label: str = ""
    sale: Callable[[Payment], tuple[Client, str]] | None = None
    refunded: Callable[[Payment, datetime], None] | None = None
    saves_card: Callable[[Payment], bool] | None = None


_purposes: dict[str, PaymentPurpose] = {}


def register_payment_purpose(
    key: str,
    *,
    paid: Callable[[Payment, datetime, SavedCard | None], bool],
    describe: Callable[[Payment], tuple[str, str]],
    return_url: Callable[[Payment], str],
    label: str = "",
    sale: Callable[[Payment], tuple[Client, str]] | None = None,
    refunded: Callable[[Payment, datetime], None] | None = None,
    saves_card: Callable[[Payment], bool] | None = None,
) -> PaymentPurpose:
    """Add (or replace, by ``key``) something other apps sell online."""
    purpose = PaymentPurpose(key, paid, describe, return_url, label, sale, refunded, saves_card)
    _purposes[key] = purpose
    return purpose


def purpose_label(purpose: str) -> str:
    """What a payment of ``purpose`` (not a booking's) bought, for the owner's lists."""
    registered = _purposes.get(purpose)
    return str(registered.label) if registered and registered.label else gettext("Other sale")


def saves_card(payment: Payment) -> bool:
    """Whether the checkout of ``payment`` keeps the payer's card for later charges."""
    purpose = _purposes.get(payment.purpose)
    return bool(purpose and purpose.saves_card and purpose.saves_card(payment))


def purpose_of(payment: Payment) -> PaymentPurpose | None:
    """The registered purpose of a payment that is not a booking's; None for a booking's or an unknown one."""
    return _purposes.get(payment.purpose)
