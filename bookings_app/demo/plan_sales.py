"""Plans bought online in the demo (docs/plans.md, "Buying a pack online"): Chloé buys the
10-class pack, and Gal joins "2 classes a week" with a test card that renews, on the public
pages, paying with the test provider (its signed event through the webhook's processing), so the
pack and the membership are made by the webhook like any real one."""

from ..models import PLAN_ORDER, Client, Payment, Plan, PlanOrder, TestCard
from ..payments import provider
from ..payments.testing import event_body, sign
from ..services import payments
from ..services.plan_purchases import place_plan_order

PROVIDER = "test"


def seed_plan_sale(clients: list[Client]) -> int:
    """Returns how many packs were bought online (one)."""
    _buy_online(Plan.objects.get(name="10 classes"), clients[2])
    return 1


def seed_membership_sale(clients: list[Client]) -> int:
    """Returns how many memberships were bought online (one); after ``seed_memberships``."""
    _buy_online(Plan.objects.get(name="2 classes a week"), clients[6], saved_card=TestCard.RENEWS)
    return 1


def _buy_online(plan: Plan, client: Client, saved_card: str = "") -> PlanOrder:
    order = place_plan_order(plan=plan, client=client, provider_name=PROVIDER, language=client.language)
    payment = Payment.objects.get(purpose=PLAN_ORDER, purpose_key=order.token)
    payments.open_checkout(payment=payment, success_url="/", cancel_url="/")
    payment.refresh_from_db()
    body = event_body(
        kind="payment.succeeded",
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
        saved_card=saved_card,
    )
    payments.process_provider_event(provider(PROVIDER).parse_webhook(body, {"Rendez-Signature": sign(body)}))
    return order
