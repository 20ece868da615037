"""A pack bought online given back to its buyer (docs/plans.md, "Refunding a pack bought online").

The owner refunds a pack in full, only while no credit of it is used. As a sold gift card's
refund (``loyalty.services.gift_card_refunds``): locks in the order a payment's webhook takes
them — the payment, the order, the pack — then the refund is asked
(``services.payments.request_refund``: committed first, the provider called after, a failure kept
for "Try the refund again"). From that moment the pack pays for nothing: ``refund_asked_at`` is a
condition of the credit's conditional UPDATE (``plans.use_credit``), so a booking racing the
refund either used its credit first (and the refund is refused) or finds the pack closed. When
the provider confirms, ``void_refunded_pack`` runs in the transaction that enters the refund in
the ledger (the purpose's ``refunded`` hook): the money and the pack go together.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.events import record_event
from ..models import (
    MEMBER_STATUSES,
    PLAN_REFUNDED,
    Actor,
    ClientPlan,
    MembershipStatus,
    Payment,
    PaymentRefund,
    PaymentStatus,
    PlanCreditUse,
    PlanKind,
    PlanOrder,
    PlanOrderStatus,
)
from ..models.payments import RefundReason
from ..selectors.memberships import current_period_payment_id
from . import payments as payment_services
from .memberships import cancel_membership
from .plan_errors import PlanError


class PackRefundRefused(PlanError):
    default_message = _("This pack cannot be refunded.")


class MembershipRefundRefused(PlanError):
    default_message = _("This membership cannot be refunded.")


def refund_online_pack(*, pack: ClientPlan, by=None, now: datetime | None = None) -> PaymentRefund:
    """Ask the provider to give the buyer back all the pack's order paid; the caller then sends
    it (``services.payments.send_refund``). Raises PackRefundRefused with the reason: not bought
    online, refunded already or being refunded, or a credit of it used."""
    now = now or timezone.now()
    with transaction.atomic():
        order = PlanOrder.objects.filter(
            client_plan_id=pack.pk, status=PlanOrderStatus.PAID, plan__kind=PlanKind.PACK
        ).first()
        if order is None or order.payment_id is None:
            raise PackRefundRefused(_("Only a pack bought online can be refunded here."))
        payment = Payment.objects.select_for_update().get(pk=order.payment_id)
        PlanOrder.objects.select_for_update().filter(pk=order.pk).first()
        locked = ClientPlan.objects.select_for_update().get(pk=pack.pk)
        if locked.voided_at or locked.refund_asked_at or payment.refunds.exists():
            raise PackRefundRefused(_("This pack is refunded already, or its refund is under way."))
        if (
            locked.credits_used
            or PlanCreditUse.objects.filter(client_plan=locked, returned_at__isnull=True).exists()
        ):
            raise PackRefundRefused(
                _("A credit of this pack has been used: only an unused pack can be refunded.")
            )
        ClientPlan.objects.filter(pk=locked.pk).update(refund_asked_at=now)
        try:
            return payment_services.request_refund(
                payment=payment, amount=payment.refundable, by=by, reason=RefundReason.OWNER
            )
        except payment_services.PaymentError as error:
            raise PackRefundRefused(error.message) from error


def refund_online_membership(
    *, membership: ClientPlan, by=None, now: datetime | None = None
) -> PaymentRefund:
    """Give back what the current period of a membership bought online cost (its first month's
    order or that period's renewal) and end the membership now, in one transaction; the caller
    then sends the refund (``services.payments.send_refund``). Raises MembershipRefundRefused with
    the reason: not bought online, not active, refunded already, or a session of the period paid
    with it. Locks the payment, then the membership: a booking racing the refund either used
    the membership first (and the refund is refused) or finds it ended."""
    now = now or timezone.now()
    with transaction.atomic():
        payment_id = current_period_payment_id(membership)
        if payment_id is None:
            raise MembershipRefundRefused(_("Only a membership bought online can be refunded here."))
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        locked = ClientPlan.objects.select_for_update().get(pk=membership.pk)
        if locked.status not in MEMBER_STATUSES or current_period_payment_id(locked) != payment.pk:
            raise MembershipRefundRefused(_("This membership is not active."))
        if payment.refunds.exists():
            raise MembershipRefundRefused(_("This period is refunded already, or its refund is under way."))
        if PlanCreditUse.objects.filter(
            client_plan=locked,
            returned_at__isnull=True,
            booking__session__start__gte=locked.period_start,
            booking__session__start__lt=locked.period_end,
        ).exists():
            raise MembershipRefundRefused(
                _(
                    "A session of this period was paid with the membership: cancel that booking "
                    "first, or cancel the membership without a refund."
                )
            )
        cancel_membership(membership=locked, at_once=True, by=by, now=now)
        try:
            return payment_services.request_refund(
                payment=payment, amount=payment.refundable, by=by, reason=RefundReason.OWNER
            )
        except payment_services.PaymentError as error:
            raise MembershipRefundRefused(error.message) from error


def void_refunded_pack(payment: Payment, now: datetime) -> None:
    """The purpose's ``refunded`` hook, inside the transaction that enters the refund (payment
    locked): once the order's payment is refunded in full, its pack is void, and ``plan.refunded``
    tells the outbox's consumers (loyalty takes back the points the purchase earned)."""
    if (
        Payment.objects.filter(pk=payment.pk).values_list("status", flat=True).first()
        != PaymentStatus.REFUNDED
    ):
        return
    order = PlanOrder.objects.select_for_update().filter(payment=payment).first()
    if order is None or order.client_plan_id is None:
        return  # a second payment of a paid order, or a refused one: no pack came of it
    now = now or timezone.now()
    bought = ClientPlan.objects.filter(pk=order.client_plan_id)
    if bought.filter(plan__kind=PlanKind.PACK).exists():
        if not bought.filter(voided_at__isnull=True).update(voided_at=now):
            return
        bought.filter(refund_asked_at__isnull=True).update(refund_asked_at=now)
    elif not bought.filter(status=MembershipStatus.CANCELLED).exists():
        return  # a membership's refund (``refund_online_membership``) ended it first
    record_event(
        PLAN_REFUNDED,
        client=order.client,
        payload={"client_plan_id": order.client_plan_id, "payment_id": payment.pk},
        key=f"plan.refunded:{order.pk}",
        occurred_at=now,
        actor=Actor.SYSTEM,
    )
