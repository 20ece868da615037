"""What the plan pages read: the owner's plans, a client's packs and their history, the packs
that can pay for a booking."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from ..models import MEMBER_STATUSES, Client, ClientPlan, Plan, PlanCreditUse, PlanKind, Service

MAX_QUERY = 100


def plans_for_list(*, query: str = "", archived: bool = False) -> QuerySet[Plan]:
    """The owner's plans (live or archived), every word of ``query`` in the name or description."""
    plans = Plan.objects.filter(is_archived=archived)
    for word in query[:MAX_QUERY].split():
        plans = plans.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return plans.prefetch_related("services").order_by("name", "pk")


def plans_to_give() -> QuerySet[Plan]:
    return Plan.objects.filter(is_archived=False).order_by("name", "pk")


def client_plans_of(client: Client) -> QuerySet[ClientPlan]:
    """Every pack the client has had, newest first."""
    return ClientPlan.objects.filter(client=client).select_related("plan").order_by("-created_at", "-pk")


def credit_uses_of(client: Client) -> QuerySet[PlanCreditUse]:
    """The bookings the client's packs paid for, newest first."""
    return (
        PlanCreditUse.objects.filter(client_plan__client=client)
        .select_related("client_plan__plan", "booking__service", "booking__session")
        .order_by("-used_at", "-pk")
    )


def usable_plans(
    *, client: Client | None, service: Service, start: datetime, now: datetime
) -> list[ClientPlan]:
    """The client's packs that can pay for ``service`` at ``start``: a credit left, not ended, and
    still valid at the session (an unused pack valid from first use starts counting now)."""
    if client is None or client.pk is None:
        return []
    packs = (
        ClientPlan.objects.filter(
            client=client,
            plan__kind=PlanKind.PACK,
            plan__services=service,
            credits_used__lt=F("credits_total"),
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=max(now, start)))
        .select_related("plan")
        .order_by(F("valid_until").asc(nulls_last=True), "pk")
    )
    return [pack for pack in packs if start < pack.expiry_for(now)] + usable_memberships(
        client=client, service=service, start=start, now=now
    )


def usable_memberships(
    *, client: Client, service: Service, start: datetime, now: datetime
) -> list[ClientPlan]:
    """The client's memberships that can pay for ``service`` at ``start``, each with ``sessions_left``
    in that week or month (None: unlimited)."""
    from .memberships import membership_refusal, sessions_left

    memberships = ClientPlan.objects.filter(
        client=client,
        plan__kind=PlanKind.MEMBERSHIP,
        plan__services=service,
        status__in=MEMBER_STATUSES,
        period_end__gt=start,
    ).select_related("plan")
    fitting = []
    for membership in memberships.order_by("pk"):
        if not membership_refusal(membership, start, now):
            membership.sessions_left = sessions_left(membership, start)
            fitting.append(membership)
    return fitting
