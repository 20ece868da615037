"""What the public plan pages read: the packs and memberships on sale, the packs that fit a
service, an order."""

from django.db.models import Q, QuerySet

from ..models import PLAN_ORDER, Payment, Plan, PlanKind, PlanOrder, Service

MAX_QUERY = 100
ON_SALE_KINDS = (PlanKind.PACK, PlanKind.MEMBERSHIP)  # what /plans/ sells (a plan priced 0 is never sold)


def plans_on_sale(*, query: str = "") -> QuerySet[Plan]:
    """Packs and memberships a client may buy online: not archived and not free (a free plan is
    only given at the desk)."""
    plans = Plan.objects.filter(kind__in=ON_SALE_KINDS, is_archived=False, price__gt=0)
    for word in query[:MAX_QUERY].split():
        plans = plans.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return plans.order_by("price", "name", "pk")


def plans_on_sale_with_services(*, query: str = "") -> QuerySet[Plan]:
    return plans_on_sale(query=query).prefetch_related("services")


def plans_on_sale_for(service: Service) -> list[Plan]:
    """The packs on sale that pay for ``service``, cheapest first (the booking form's offer)."""
    return list(plans_on_sale().filter(kind=PlanKind.PACK, services=service))


def plan_on_sale(plan_id: int | None) -> Plan | None:
    if plan_id is None:
        return None
    return plans_on_sale().filter(pk=plan_id).first()


def plan_order_by_token(token: str) -> PlanOrder | None:
    return (
        PlanOrder.objects.select_related("plan", "client", "client_plan", "payment")
        .filter(token=token[:64])
        .first()
    )


def latest_payment_of(order: PlanOrder) -> Payment | None:
    return Payment.objects.filter(purpose=PLAN_ORDER, purpose_key=order.token).order_by("-pk").first()
