"""Money taken at the desk (cash, or a card on the business's own terminal), recorded by the
team (``services.in_person``). No provider is asked anything: there is no checkout and no
webhook, and giving it back is done at the desk, so a refund succeeds as soon as it is asked."""

from django.utils.translation import gettext as _

from .base import BadSignature, Checkout, ProviderError, ProviderEvent


class InPersonProvider:
    def __init__(self, name: str):
        self.name = name

    def create_checkout(self, payment, *, success_url: str, cancel_url: str) -> Checkout:
        raise ProviderError(_("A payment at the desk has no payment page."))

    def parse_webhook(self, body: bytes, headers) -> ProviderEvent:
        raise BadSignature()

    def refund(self, payment, refund) -> str:
        return f"desk_refund_{refund.pk}"

    def fee(self, payment) -> None:
        return None
