"""Class packs bought online as tests drive them: an order, its checkout opened at the test
provider (tests/bookings_app/plans, tests/e2e); deliver its events with tests.support.payments."""

from bookings_app.models import PLAN_ORDER, Payment, PlanOrder
from bookings_app.services import payments
from bookings_app.services.plan_purchases import place_plan_order


def open_payment(order: PlanOrder) -> Payment:
    """The order's latest payment, its test checkout opened (as the buy page does)."""
    payment = Payment.objects.filter(purpose=PLAN_ORDER, purpose_key=order.token).order_by("-pk").first()
    payments.open_checkout(payment=payment, success_url="/ok", cancel_url="/no")
    payment.refresh_from_db()
    return payment


def order_pack(plan, client, **kwargs) -> tuple[PlanOrder, Payment]:
    """``client`` orders ``plan`` online; the order and its opened payment."""
    order = place_plan_order(plan=plan, client=client, provider_name="test", **kwargs)
    return order, open_payment(order)
