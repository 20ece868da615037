"""Class packs bought online (docs/plans.md, "Buying a pack online").

A signed-in client orders a pack on sale; the order's payment goes through the payments for
other purposes (``services.purpose_payments``): "paid" is checked against the amount and
currency and entered in the ledger there, then ``fulfil_plan_order`` runs in the same
transaction with the payment row locked. It locks the order and makes the pack only while the
order waits, so one order is one pack; a replay or a second payment finds it paid, and the
second is refunded. A one-per-client plan is checked under the client's row lock when the
order is placed and again when it is paid: a client who got it meanwhile is refunded.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError
from ..core.events import record_event
from ..models import (
    PLAN_ORDER,
    PLAN_PURCHASED,
    Actor,
    Client,
    ClientPlan,
    ClientPlanSource,
    Payment,
    Plan,
    PlanKind,
    PlanOrder,
    PlanOrderStatus,
    ValidFrom,
)
from .purpose_payments import start_purpose_payment


class PlanOrderRefused(BookingError):
    default_message = _("This plan cannot be bought online.")


def _already_holds(client: Client, plan: Plan) -> bool:
    return ClientPlan.objects.filter(client=client, plan=plan).exists()


def _lock_client(client: Client) -> None:
    Client.objects.select_for_update().filter(pk=client.pk).first()


def place_plan_order(
    *,
    plan: Plan,
    client: Client,
    provider_name: str,
    language: str = "en",
    return_to: str = "",
    now: datetime | None = None,
) -> PlanOrder:
    """An order waiting for its payment, and that payment (open its checkout next).

    Raises PlanOrderRefused for a plan not on sale (archived, free, not a pack) or a
    one-per-client plan the client already holds; nothing is written then."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_client(client)
        plan = Plan.objects.filter(pk=plan.pk).first()
        if plan is None or plan.is_archived or plan.kind != PlanKind.PACK:
            raise PlanOrderRefused(_("This plan is no longer on sale."))
        if plan.price <= 0:
            raise PlanOrderRefused(_("This plan is not sold online."))
        if plan.one_per_client and _already_holds(client, plan):
            raise PlanOrderRefused(_("This plan is one per client, and you already have it."))
        order = PlanOrder.objects.create(
            plan=plan,
            client=client,
            amount=plan.price,
            currency=plan.currency.upper(),
            return_to=return_to[:500],
            language=language,
            created_at=now,
        )
        start_purpose_payment(
            purpose=PLAN_ORDER,
            key=order.token,
            amount=order.amount,
            currency=order.currency,
            provider_name=provider_name,
            now=now,
        )
    return order


def pay_plan_order_again(*, order: PlanOrder, provider_name: str) -> Payment:
    """After a declined or abandoned payment: the order's open payment, or a new one.

    Raises PlanOrderRefused when the order is paid (or refused) already, or is for a
    one-per-client plan the client holds by now."""
    with transaction.atomic():
        order = (
            PlanOrder.objects.select_for_update(of=("self",))
            .select_related("plan", "client")
            .get(pk=order.pk)
        )
        if order.status != PlanOrderStatus.AWAITING_PAYMENT:
            raise PlanOrderRefused(_("This order is closed: it was paid already."))
        if order.plan.one_per_client and _already_holds(order.client, order.plan):
            raise PlanOrderRefused(_("This plan is one per client, and you already have it."))
        return start_purpose_payment(
            purpose=PLAN_ORDER,
            key=order.token,
            amount=order.amount,
            currency=order.currency,
            provider_name=provider_name,
        )


def fulfil_plan_order(payment: Payment, now: datetime) -> bool:
    """The purpose hook (``plug_ins.payment_purposes``), inside the transaction that entered the
    charge: make the order's pack once. False (bookings_app then refunds the payment) when the
    order is paid already, unknown, or is for a one-per-client plan the client holds by now."""
    order = (
        PlanOrder.objects.select_for_update(of=("self",))
        .select_related("plan", "client")
        .filter(token=payment.purpose_key)
        .first()
    )
    if order is None or order.status != PlanOrderStatus.AWAITING_PAYMENT:
        return False
    _lock_client(order.client)
    plan = order.plan
    if plan.one_per_client and _already_holds(order.client, plan):
        PlanOrder.objects.filter(pk=order.pk).update(status=PlanOrderStatus.REFUSED, payment=payment)
        return False
    pack = ClientPlan.objects.create(
        client=order.client,
        plan=plan,
        credits_total=plan.credits,
        valid_until=now + timedelta(days=plan.valid_days) if plan.valid_from == ValidFrom.PURCHASE else None,
        source=ClientPlanSource.ONLINE,
        price_paid=order.amount,
        currency=order.currency,
        created_at=now,
    )
    PlanOrder.objects.filter(pk=order.pk, status=PlanOrderStatus.AWAITING_PAYMENT).update(
        status=PlanOrderStatus.PAID, client_plan=pack, payment=payment, paid_at=now
    )
    record_event(
        PLAN_PURCHASED,
        client=order.client,
        payload={
            "client_plan_id": pack.pk,
            "plan_id": plan.pk,
            "plan_name": plan.name,
            "payment_id": payment.pk,
            "amount": str(order.amount),
            "currency": order.currency,
        },
        key=f"plan.purchased:{order.pk}",
        occurred_at=now,
        actor=Actor.CLIENT,
    )
    return True


def plan_order_sale(payment: Payment) -> tuple[Client, str]:
    """The purpose's ``sale`` hook: the buyer, and the plan's name for the receipt's line
    ("Plan (10 classes)")."""
    order = PlanOrder.objects.select_related("client", "plan").get(token=payment.purpose_key)
    return order.client, order.plan.name
