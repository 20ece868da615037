"""What a membership can pay for: its counting window, its freezes, the sessions it has left
(docs/plans.md, "Memberships"). Read by the booking form and, under the row's lock, by the
booking service."""

import calendar
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import (
    MEMBER_STATUSES,
    Business,
    Client,
    ClientPlan,
    ClientPlanSource,
    MembershipFreeze,
    MembershipPeriod,
    MembershipRenewal,
    MembershipStatus,
    Payment,
    PlanCreditUse,
    PlanKind,
    PlanOrder,
    PlanOrderStatus,
    RenewalStatus,
)

HISTORY_SHOWN = 12


def memberships_of_client(client: Client) -> QuerySet[ClientPlan]:
    """The client's memberships, newest first, with their latest renewals and freezes (3 queries)."""
    return (
        ClientPlan.objects.filter(client=client, plan__kind=PlanKind.MEMBERSHIP)
        .select_related("plan")
        .prefetch_related(
            Prefetch("renewals", queryset=MembershipRenewal.objects.order_by("-period_start", "-pk")),
            Prefetch("freezes", queryset=MembershipFreeze.objects.order_by("-starts_at", "-pk")),
        )
        .order_by("-created_at", "-pk")
    )


def shown_status(membership: ClientPlan, now: datetime) -> str:
    """The status to show: "frozen" while a freeze covers ``now`` (from the prefetched freezes)."""
    if membership.status == MembershipStatus.ACTIVE and any(
        freeze.starts_at <= now < freeze.ends_at for freeze in membership.freezes.all()
    ):
        return MembershipStatus.FROZEN
    return membership.status


def add_months(moment: datetime, months: int = 1) -> datetime:
    """The same local time ``months`` later in the business's zone (31 January + 1 → 28/29 February)."""
    tz = Business.current().tz
    local = moment.astimezone(tz)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day, tzinfo=None).replace(tzinfo=tz)


def counting_window(start: datetime, period: str) -> tuple[datetime, datetime]:
    """The week (Monday to Sunday) or calendar month holding ``start``, in the business's zone."""
    tz = Business.current().tz
    day = start.astimezone(tz).date()
    if period == MembershipPeriod.WEEK:
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=7)
    else:
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1)
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=tz),
        datetime.combine(last, datetime.min.time(), tzinfo=tz),
    )


def freeze_covering(client_plan_id: int, moment: datetime) -> MembershipFreeze | None:
    return MembershipFreeze.objects.filter(
        client_plan_id=client_plan_id, starts_at__lte=moment, ends_at__gt=moment
    ).first()


def sessions_used_in_window(membership: ClientPlan, start: datetime) -> int:
    """Bookings the membership pays for in the week or month of ``start`` (returned ones not counted)."""
    first, last = counting_window(start, membership.plan.period)
    return PlanCreditUse.objects.filter(
        client_plan=membership,
        returned_at__isnull=True,
        booking__session__start__gte=first,
        booking__session__start__lt=last,
    ).count()


def membership_refusal(
    membership: ClientPlan,
    start: datetime,
    now: datetime,
    *,
    at_the_door: bool = False,
    frozen: bool | None = None,
    used: int | None = None,
) -> str:
    """Why the membership cannot pay for a session at ``start`` ("" when it can).

    ``at_the_door``: a walk-in at the tablet may join a session that has started. ``frozen`` and
    ``used`` (sessions paid in the window of ``start``) are read here unless the caller counted
    them already (the tablet's search, for several clients in one query)."""
    if membership.status not in MEMBER_STATUSES:
        return str(_("Your membership is not active."))
    if not membership.period_end or start >= membership.period_end or (start < now and not at_the_door):
        return str(_("Your membership's paid period ends before this session."))
    if frozen if frozen is not None else freeze_covering(membership.pk, start):
        return str(_("Your membership is frozen on that day."))
    limit = membership.plan.sessions_per_period
    if (
        limit is not None
        and (used if used is not None else sessions_used_in_window(membership, start)) >= limit
    ):
        if membership.plan.period == MembershipPeriod.WEEK:
            return str(_("Your membership has no sessions left that week."))
        return str(_("Your membership has no sessions left that month."))
    return ""


def sessions_left(membership: ClientPlan, start: datetime) -> int | None:
    """Sessions left in the window of ``start``; None for an unlimited membership."""
    limit = membership.plan.sessions_per_period
    return None if limit is None else max(limit - sessions_used_in_window(membership, start), 0)


def notice_end_for(membership: ClientPlan, now: datetime) -> datetime:
    """The first renewal date at least the plan's notice after ``now``: when a cancellation made
    now takes effect."""
    earliest = now + timedelta(days=membership.plan.notice_days)
    end = membership.period_end
    while end < earliest:
        end = add_months(end)
    return end


def current_period_payment_id(membership: ClientPlan) -> int | None:
    """The payment of the membership's current period when it was paid online: that period's
    renewal, else (the first period) the order that bought it; None for a desk membership."""
    if membership.source != ClientPlanSource.ONLINE or membership.period_start is None:
        return None
    renewal = (
        MembershipRenewal.objects.filter(
            client_plan_id=membership.pk,
            status=RenewalStatus.PAID,
            period_start=membership.period_start,
            payment__isnull=False,
        )
        .values_list("payment_id", flat=True)
        .first()
    )
    if renewal is not None:
        return renewal
    return (
        PlanOrder.objects.filter(client_plan_id=membership.pk, status=PlanOrderStatus.PAID)
        .values_list("payment_id", flat=True)
        .first()
    )


def period_payments(memberships: list[ClientPlan]) -> dict[int, Payment]:
    """``current_period_payment_id`` for several memberships at once (the owner's Plans page), as
    the payments themselves with their refunds: four queries whatever their number, none when
    no membership was bought online."""
    online = {m.pk: m for m in memberships if m.source == ClientPlanSource.ONLINE and m.period_start}
    if not online:
        return {}
    chosen: dict[int, int] = dict(
        PlanOrder.objects.filter(client_plan_id__in=online, status=PlanOrderStatus.PAID)
        .exclude(payment_id=None)
        .values_list("client_plan_id", "payment_id")
    )
    renewals = MembershipRenewal.objects.filter(
        client_plan_id__in=online, status=RenewalStatus.PAID, payment__isnull=False
    ).values_list("client_plan_id", "period_start", "payment_id")
    for membership_id, period_start, payment_id in renewals:
        if period_start == online[membership_id].period_start:
            chosen[membership_id] = payment_id
    payments = Payment.objects.prefetch_related("refunds").in_bulk(chosen.values())
    return {membership_id: payments[payment_id] for membership_id, payment_id in chosen.items()}
