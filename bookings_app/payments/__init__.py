"""Payment providers: one adapter per provider, the same four verbs each (docs/payments.md).

``provider()`` is the one ``PAYMENT_PROVIDER`` names: ``test`` (the embedded test page, no
money moves, the default) or ``stripe`` (Stripe Checkout); money taken at the desk (``cash``,
``desk_card``) has its own adapter (``in_person``). Services (``services/payments.py``) call
``create_checkout``, ``refund`` and ``fee``; the webhook view calls ``parse_webhook`` and
hands the event to ``services.payments.process_provider_event``.
"""

from django.conf import settings

from .base import BadSignature, Checkout, MalformedEvent, Provider, ProviderError, ProviderEvent


def provider(name: str | None = None) -> Provider:
    """The adapter for ``name`` (default: the configured one); KeyError for an unknown name."""
    from ..models.payments import IN_PERSON_PROVIDERS
    from .in_person import InPersonProvider
    from .stripe_checkout import StripeProvider
    from .testing import TestProvider

    name = name or settings.PAYMENT_PROVIDER
    if name in IN_PERSON_PROVIDERS:
        return InPersonProvider(name)
    adapters = {"test": TestProvider, "stripe": StripeProvider}
    return adapters[name]()


def active_provider_name() -> str:
    return settings.PAYMENT_PROVIDER


__all__ = [
    "BadSignature",
    "Checkout",
    "MalformedEvent",
    "Provider",
    "ProviderError",
    "ProviderEvent",
    "active_provider_name",
    "provider",
]
