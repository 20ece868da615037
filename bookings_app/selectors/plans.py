"""What the plan pages read: the owner's plans, a client's packs and their history, the packs
that can pay for a booking."""

from datetime import datetime

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from ..models import (
    MEMBER_STATUSES,
    Client,
    ClientPlan,
    ClientPlanSource,
    MembershipFreeze,
    MembershipPeriod,
    Plan,
    PlanCreditUse,
    PlanKind,
    Service,
)

MAX_QUERY = 100


def plans_for_list(*, query: str = "", archived: bool = False) -> QuerySet[Plan]:
    """The owner's plans (live or archived), every word of ``query`` in the name or description."""
    plans = Plan.objects.filter(is_archived=archived)
    for word in query[:MAX_QUERY].split():
        plans = plans.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return plans.prefetch_related("services").order_by("name", "pk")


def active_client_plans(*, now: datetime) -> QuerySet[ClientPlan]:
    """Packs that can still book: a credit left, not ended (an unused first-use pack has no end
    yet) and not refunded."""
    return ClientPlan.objects.filter(
        credits_used__lt=F("credits_total"), refund_asked_at__isnull=True
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))


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
    """The client's packs that can pay for ``service`` at ``start`` (a credit left, not ended, and
    still valid at the session; an unused pack valid from first use starts counting now), then
    their memberships that can."""
    if client is None or client.pk is None:
        return []
    packs = usable_plans_of([client], service=service, start=start, now=now)
    return packs + usable_memberships(client=client, service=service, start=start, now=now)


def usable_plans_of(
    clients: list[Client], *, service: Service, start: datetime, now: datetime
) -> list[ClientPlan]:
    """The packs of ``usable_plans`` for several clients at once (the tablet's walk-in search,
    which offers packs only), in one query."""
    if not clients:
        return []
    packs = (
        ClientPlan.objects.filter(
            client__in=clients,
            plan__kind=PlanKind.PACK,
            plan__services=service,
            credits_used__lt=F("credits_total"),
            refund_asked_at__isnull=True,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=max(now, start)))
        .select_related("plan")
        .order_by(F("valid_until").asc(nulls_last=True), "pk")
    )
    return [pack for pack in packs if start < pack.expiry_for(now)]


def plan_report(*, query: str = "", start: datetime, end: datetime, now: datetime) -> QuerySet[Plan]:
    """Every plan (archived ones too), every word of ``query`` in its name, each with:
    ``active_packs`` (can still book at ``now``), and between ``start`` and ``end``:
    ``packs_sold`` and ``packs_given``, ``credits_sold`` (of the packs bought then), ``credits_used``
    (bookings paid with a credit then, not given back) and ``revenue`` (paid for the packs bought
    then, in the plan's currency; a pack refunded is not counted). One query however many plans
    (subqueries per column)."""
    plans = Plan.objects.all()
    for word in query[:MAX_QUERY].split():
        plans = plans.filter(name__icontains=word)
    bought = ClientPlan.objects.filter(
        plan=OuterRef("pk"), created_at__gte=start, created_at__lt=end, voided_at__isnull=True
    )
    used = PlanCreditUse.objects.filter(
        client_plan__plan=OuterRef("pk"), used_at__gte=start, used_at__lt=end, returned_at__isnull=True
    )
    active = active_client_plans(now=now).filter(plan=OuterRef("pk"))
    return plans.annotate(
        active_packs=_counted(active, "plan"),
        packs_sold=_counted(bought.filter(source=ClientPlanSource.SOLD), "plan"),
        packs_given=_counted(bought.filter(source=ClientPlanSource.GIVEN), "plan"),
        credits_sold=_summed(bought, "credits_total", IntegerField()),
        credits_used=_counted(used, "client_plan__plan"),
        revenue=_summed(bought, "price_paid", DecimalField(max_digits=12, decimal_places=2)),
    ).order_by("name", "pk")


def _counted(rows: QuerySet, plan_field: str) -> Coalesce:
    """How many ``rows`` (already narrowed to the outer plan), grouped by it into one row."""
    counted = rows.order_by().values(plan_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _summed(rows: QuerySet, field: str, output) -> Coalesce:
    summed = rows.order_by().values("plan").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=output), Value(0), output_field=output)


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


def usable_memberships_of(
    clients: list[Client],
    *,
    service: Service,
    start: datetime,
    now: datetime,
    at_the_door: bool = False,
    refused: list[ClientPlan] | None = None,
) -> list[ClientPlan]:
    """The memberships of ``clients`` that can pay for ``service`` at ``start`` (the tablet's
    walk-in search), each with ``sessions_left`` in that week or month (None: unlimited) and
    ``sessions_limit``. One query: the freeze and the sessions used in the window are annotated,
    then the rules of ``membership_refusal`` read them. The others covering ``service`` go to
    ``refused`` when it is given, each with ``is_frozen`` and ``sessions_used``, so the desk can
    say why they are not offered."""
    from .memberships import counting_window, membership_refusal

    if not clients:
        return []
    used = {}
    for period in MembershipPeriod.values:
        first, last = counting_window(start, period)
        paid = PlanCreditUse.objects.filter(
            client_plan=OuterRef("pk"),
            returned_at__isnull=True,
            booking__session__start__gte=first,
            booking__session__start__lt=last,
        )
        used[f"used_{period}"] = _counted(paid, "client_plan")
    frozen = MembershipFreeze.objects.filter(
        client_plan=OuterRef("pk"), starts_at__lte=start, ends_at__gt=start
    )
    memberships = (
        ClientPlan.objects.filter(
            client__in=clients,
            plan__kind=PlanKind.MEMBERSHIP,
            plan__services=service,
            status__in=MEMBER_STATUSES,
            period_end__gt=start,
        )
        .annotate(is_frozen=Exists(frozen), **used)
        .select_related("plan")
        .order_by("pk")
    )
    fitting = []
    for membership in memberships:
        count = getattr(membership, f"used_{membership.plan.period}")
        refusal = membership_refusal(
            membership, start, now, at_the_door=at_the_door, frozen=membership.is_frozen, used=count
        )
        if not refusal:
            limit = membership.plan.sessions_per_period
            membership.sessions_limit = limit
            membership.sessions_left = None if limit is None else max(limit - count, 0)
            fitting.append(membership)
        elif refused is not None:
            membership.sessions_used = count
            refused.append(membership)
    return fitting
