"""What the plan pages read: the owner's plans, a client's packs and their history, the packs
that can pay for a booking."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from ..models import Client, ClientPlan, Plan, PlanCreditUse, Service

MAX_QUERY = 100


def plans_for_list(*, query: str = "", archived: bool = False) -> QuerySet[Plan]:
    """The owner's plans (live or archived), every word of ``query`` in the name or description."""
    plans = Plan.objects.filter(is_archived=archived)
    for word in query[:MAX_QUERY].split():
        plans = plans.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return plans.prefetch_related("services").order_by("name", "pk")


def active_client_plans(*, now: datetime) -> QuerySet[ClientPlan]:
    """Packs that can still book: a credit left and not ended (an unused first-use pack has no end yet)."""
    return ClientPlan.objects.filter(credits_used__lt=F("credits_total")).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    )


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
    return usable_plans_of([client], service=service, start=start, now=now)


def usable_plans_of(
    clients: list[Client], *, service: Service, start: datetime, now: datetime
) -> list[ClientPlan]:
    """``usable_plans`` of several clients at once (the tablet's walk-in search), in one query."""
    if not clients:
        return []
    packs = (
        ClientPlan.objects.filter(
            client__in=clients, plan__services=service, credits_used__lt=F("credits_total")
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=max(now, start)))
        .select_related("plan")
        .order_by(F("valid_until").asc(nulls_last=True), "pk")
    )
    return [pack for pack in packs if start < pack.expiry_for(now)]
