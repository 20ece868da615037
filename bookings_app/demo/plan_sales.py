"""A pack bought online in the demo (docs/plans.md, "Buying a pack online"): Chloé buys the
10-class pack on the public page and pays with the test provider (its signed event through the
webhook's processing), so the pack is made by the webhook like any real one."""

from ..models import PLAN_ORDER, Client, Payment, Plan
from ..payments import provider
from ..payments.testing import event_body, sign
from ..services import payments
from ..services.plan_purchases import place_plan_order

PROVIDER = "test"


def seed_plan_sale(clients: list[Client]) -> int:
    """Returns how many packs were bought online (one)."""
    ten = Plan.objects.get(name="10 classes")
    order = place_plan_order(
        plan=ten, client=clients[2], provider_name=PROVIDER, language=clients[2].language
    )
    payment = Payment.objects.get(purpose=PLAN_ORDER, purpose_key=order.token)
    payments.open_checkout(payment=payment, success_url="/", cancel_url="/")
    payment.refresh_from_db()
    body = event_body(
        kind="payment.succeeded",
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
    )
    payments.process_provider_event(provider(PROVIDER).parse_webhook(body, {"Rendez-Signature": sign(body)}))
    return 1
