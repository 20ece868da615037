"""Class packs and memberships bought online (docs/plans.md, "Buying a pack online" and
"Signing up to a membership online").

A signed-in client orders a pack on sale; the order's payment goes through the payments for
other purposes (``services.purpose_payments``): "paid" is checked against the amount and
currency and entered in the ledger there, then ``fulfil_plan_order`` runs in the same
transaction with the payment row locked. It locks the order and makes the pack only while the
order waits, so one order is one pack; a replay or a second payment finds it paid, and the
second is refunded. A one-per-client plan is checked under the client's row lock when the
order is placed and again when it is paid: a client who got it meanwhile is refunded.

A membership's order pays its first month; its checkout keeps the card (``order_saves_card``),
and once paid the membership starts with billing through the provider, renewed by beat with
that card. A client already a member of the plan is refused, at the order and when paid.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError
from ..core.events import record_event
from ..models import (
    MEMBER_STATUSES,
    PLAN_ORDER,
    PLAN_PURCHASED,
    Actor,
    Billing,
    Client,
    ClientPlan,
    ClientPlanSource,
    Payment,
    Plan,
    PlanKind,
    PlanOrder,
    PlanOrderStatus,
    TestCard,
    ValidFrom,
)
from ..payments.base import SavedCard
from ..selectors.plan_shop import ON_SALE_KINDS
from .membership_use import start_membership
from .purpose_payments import start_purpose_payment

log = logging.getLogger("rendez.payments")


class PlanOrderRefused(BookingError):
    default_message = _("This plan cannot be bought online.")


def _already_holds(client: Client, plan: Plan) -> bool:
    return ClientPlan.objects.filter(client=client, plan=plan).exists()


def _refusal(client: Client, plan: Plan) -> str:
    """Why ``client`` may not buy ``plan`` now (under the client's row lock), or ""."""
    if plan.one_per_client and _already_holds(client, plan):
        return _("This plan is one per client, and you already have it.")
    if (
        plan.is_membership
        and ClientPlan.objects.filter(client=client, plan=plan, status__in=MEMBER_STATUSES).exists()
    ):
        return _("You are already a member of this plan: it renews every month by itself.")
    return ""


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

    Raises PlanOrderRefused for a plan not on sale (archived, free), a one-per-client plan the
    client already holds, or a membership the client has already; nothing is written then."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_client(client)
        plan = Plan.objects.filter(pk=plan.pk).first()
        if plan is None or plan.is_archived or plan.kind not in ON_SALE_KINDS:
            raise PlanOrderRefused(_("This plan is no longer on sale."))
        if plan.price <= 0:
            raise PlanOrderRefused(_("This plan is not sold online."))
        if refusal := _refusal(client, plan):
            raise PlanOrderRefused(refusal)
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
        if refusal := _refusal(order.client, order.plan):
            raise PlanOrderRefused(refusal)
        return start_purpose_payment(
            purpose=PLAN_ORDER,
            key=order.token,
            amount=order.amount,
            currency=order.currency,
            provider_name=provider_name,
        )


def fulfil_plan_order(payment: Payment, now: datetime, saved_card: SavedCard | None = None) -> bool:
    """The purpose hook (``plug_ins.payment_purposes``), inside the transaction that entered the
    charge: make the order's pack or membership once. False (bookings_app then refunds the
    payment) when the order is paid already, unknown, or is for a one-per-client plan the client
    holds (or a membership the client has) by now."""
    order = (
        PlanOrder.objects.select_for_update(of=("self",))
        .select_related("plan", "client")
        .filter(token=payment.purpose_key)
        .first()
    )
    if order is None or order.status != PlanOrderStatus.AWAITING_PAYMENT:
        return False
    _lock_client(order.client)
    if _refusal(order.client, order.plan):
        PlanOrder.objects.filter(pk=order.pk).update(status=PlanOrderStatus.REFUSED, payment=payment)
        return False
    if order.plan.is_membership:
        bought = _start_bought_membership(order, payment, saved_card, now)
    else:
        bought = _make_bought_pack(order, now)
    PlanOrder.objects.filter(pk=order.pk, status=PlanOrderStatus.AWAITING_PAYMENT).update(
        status=PlanOrderStatus.PAID, client_plan=bought, payment=payment, paid_at=now
    )
    _record_purchase(order, bought, payment, now)
    return True


def _make_bought_pack(order: PlanOrder, now: datetime) -> ClientPlan:
    plan = order.plan
    return ClientPlan.objects.create(
        client=order.client,
        plan=plan,
        credits_total=plan.credits,
        valid_until=now + timedelta(days=plan.valid_days) if plan.valid_from == ValidFrom.PURCHASE else None,
        source=ClientPlanSource.ONLINE,
        price_paid=order.amount,
        currency=order.currency,
        created_at=now,
    )


def _renewal_card(payment: Payment, saved_card: SavedCard | None) -> dict:
    """How the membership renews: through the provider with the card the checkout kept; at the
    desk when the provider kept no usable card (the first month is paid all the same)."""
    card = saved_card or SavedCard()
    usable = (payment.provider == "test" and card.test_card in TestCard.values) or (
        payment.provider == "stripe" and card.provider_customer and card.provider_payment_method
    )
    if not usable:
        log.warning("plan order payment %s: no saved card; the membership renews at the desk", payment.pk)
        return {"billing": Billing.DESK}
    return {
        "billing": Billing.PROVIDER,
        "provider": payment.provider,
        "test_card": card.test_card if payment.provider == "test" else "",
        "provider_customer": card.provider_customer,
        "provider_payment_method": card.provider_payment_method,
    }


def _start_bought_membership(
    order: PlanOrder, payment: Payment, saved_card: SavedCard | None, now: datetime
) -> ClientPlan:
    return start_membership(
        plan=order.plan,
        client=order.client,
        source=ClientPlanSource.ONLINE,
        price_paid=order.amount,
        now=now,
        **_renewal_card(payment, saved_card),
    )


def _record_purchase(order: PlanOrder, bought: ClientPlan, payment: Payment, now: datetime) -> None:
    record_event(
        PLAN_PURCHASED,
        client=order.client,
        payload={
            "client_plan_id": bought.pk,
            "plan_id": order.plan.pk,
            "plan_name": order.plan.name,
            "plan_kind": order.plan.kind,
            "payment_id": payment.pk,
            "amount": str(order.amount),
            "currency": order.currency,
        },
        key=f"plan.purchased:{order.pk}",
        occurred_at=now,
        actor=Actor.CLIENT,
    )


def order_saves_card(payment: Payment) -> bool:
    """The purpose's ``saves_card`` hook: a membership's checkout keeps the card for its renewals."""
    return PlanOrder.objects.filter(token=payment.purpose_key, plan__kind=PlanKind.MEMBERSHIP).exists()


def plan_order_sale(payment: Payment) -> tuple[Client, str]:
    """The purpose's ``sale`` hook: the buyer, and the plan's name for the receipt's line
    ("Plan (10 classes)")."""
    order = PlanOrder.objects.select_related("client", "plan").get(token=payment.purpose_key)
    return order.client, order.plan.name
