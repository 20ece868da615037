"""Dashboard: the owner refunds a pack bought online, unused, to its buyer, or the current period
of a membership bought online (which ends it) (docs/plans.md, "Refunding a plan bought online"),
and tries a failed refund again."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import PLAN_ORDER, ClientPlan, ClientPlanSource, PaymentRefund, PlanKind
from ...services import payments as payment_services
from ...services.membership_renewals import PURPOSE as RENEWAL
from ...services.plan_errors import PlanError
from ...services.plan_refunds import refund_online_membership, refund_online_pack
from ...web.access import owner_required
from ...web.refund_outcome import tell_refund_outcome


def _get_online_pack_for_owner(client_pk: int, pack_pk: int) -> ClientPlan:
    """A pack the client bought online; 404 for another client's, one given or sold at the desk,
    or a membership."""
    return get_object_or_404(
        ClientPlan, pk=pack_pk, client_id=client_pk, source=ClientPlanSource.ONLINE, plan__kind=PlanKind.PACK
    )


def _get_plan_refund_for_owner(client_pk: int, refund_pk: int) -> PaymentRefund:
    """A refund of the payment of one of the client's plan orders or membership renewals; 404
    for any other."""
    return get_object_or_404(
        PaymentRefund.objects.select_related("payment"),
        Q(payment__purpose=PLAN_ORDER, payment__plan_order__client_id=client_pk)
        | Q(payment__purpose=RENEWAL, payment__membership_renewal__client_plan__client_id=client_pk),
        pk=refund_pk,
        payment__booking__isnull=True,
    )


def _told(request: HttpRequest, refund: PaymentRefund) -> None:
    order = getattr(refund.payment, "plan_order", None)
    succeeded = (
        _("The pack is refunded to its buyer and can no longer be used.")
        if order is not None and order.plan.kind == PlanKind.PACK
        else _("The period is refunded to the member, and the membership has ended.")
    )
    tell_refund_outcome(request, refund, succeeded=succeeded)


@owner_required
@require_POST
def pack_refund(request: HttpRequest, pk: int, pack_pk: int) -> HttpResponse:
    """Give an unused pack's price back to its buyer (through the provider) and void it."""
    pack = _get_online_pack_for_owner(pk, pack_pk)
    try:
        asked = refund_online_pack(pack=pack, by=request.user)
    except PlanError as error:
        messages.error(request, error.message)
    else:
        _told(request, payment_services.send_refund(refund_id=asked.pk))
    return redirect("dashboard:client_plans", pk=pk)


@owner_required
@require_POST
def pack_refund_retry(request: HttpRequest, pk: int, refund_pk: int) -> HttpResponse:
    refund = _get_plan_refund_for_owner(pk, refund_pk)
    try:
        refund = payment_services.retry_refund(refund=refund)
    except payment_services.PaymentError as error:
        messages.error(request, error.message)
    else:
        _told(request, refund)
    return redirect("dashboard:client_plans", pk=pk)


@owner_required
@require_POST
def membership_refund(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Give the current period's price back to the member (through the provider) and end the
    membership now."""
    membership = get_object_or_404(
        ClientPlan,
        pk=membership_pk,
        client_id=pk,
        source=ClientPlanSource.ONLINE,
        plan__kind=PlanKind.MEMBERSHIP,
    )
    try:
        asked = refund_online_membership(membership=membership, by=request.user)
    except PlanError as error:
        messages.error(request, error.message)
    else:
        _told(request, payment_services.send_refund(refund_id=asked.pk))
    return redirect("dashboard:client_plans", pk=pk)
