"""Renewing memberships through the payment provider (beat's ``renew_memberships``).

Each period is one ``MembershipRenewal`` row (unique per membership and period start). A worker
claims it with a conditional ``UPDATE … status due → charging`` and commits, calls the provider
outside any transaction, then records the outcome with the row locked: a beat run twice, or two
workers at once, charge each period once. Paid: a ``Payment`` and its ledger charge, the period
moved on, the event ``membership.renewed``. Declined: the membership stays active (grace) and
is tried again after ``RETRY_AFTER``; the last failure lapses it (and cancels the bookings it
paid for after its end, ``membership_bookings``). Each failure is the event
``membership.renewal_failed``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..core.events import record_event
from ..models import (
    MEMBER_STATUSES,
    Billing,
    Client,
    ClientPlan,
    EventKind,
    MembershipRenewal,
    MembershipStatus,
    Payment,
    PaymentLedgerEntry,
    PaymentStatus,
    RenewalStatus,
)
from ..models.payments import LedgerKind
from ..payments.recurring import RenewalDeclined, charge_renewal
from .membership_bookings import cancel_bookings_after_end
from .memberships import add_months, end_cancelled
from .receipts import issue_receipt

PURPOSE = "membership_renewal"
RETRY_AFTER = (
    timedelta(days=1),
    timedelta(days=2),
)  # tried again 1 day, then 3 days, after the first failure
STALE_CLAIM = timedelta(minutes=15)  # a worker that died while charging: the next run tries again


@dataclass(frozen=True)
class Outcome:
    code: str  # renewed, declined, lapsed, cancelled, busy, not_due
    renewal_id: int | None = None


def renew_due_memberships(*, now: datetime | None = None) -> list[Outcome]:
    """Every membership whose renewal is due: cancelled if it was cancelling, otherwise charged."""
    now = now or timezone.now()
    due = ClientPlan.objects.filter(status__in=MEMBER_STATUSES, next_renewal_at__lte=now).filter(
        Q(billing=Billing.PROVIDER) | Q(status=MembershipStatus.CANCELLING)
    )
    return [
        renew_membership(membership_id=pk, now=now)
        for pk in due.order_by("next_renewal_at", "pk").values_list("pk", flat=True)
    ]


def renew_membership(*, membership_id: int, now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    if end_cancelled(membership_id=membership_id, now=now):
        return Outcome("cancelled")
    renewal = _claim(membership_id, now)
    if renewal is None:
        return Outcome("busy")
    if isinstance(renewal, Outcome):
        return renewal
    membership = ClientPlan.objects.select_related("plan", "client").get(pk=membership_id)
    try:
        reference = charge_renewal(membership, renewal)
    except RenewalDeclined as declined:
        return _declined(renewal.pk, str(declined.message), now=now)
    return _paid(renewal.pk, reference, now=now)


def _claim(membership_id: int, now: datetime) -> MembershipRenewal | Outcome | None:
    """The renewal of the period after the current one, claimed for this worker (None: another
    worker holds it)."""
    with transaction.atomic():
        membership = ClientPlan.objects.select_for_update().select_related("plan").get(pk=membership_id)
        due = (
            membership.status in MEMBER_STATUSES
            and membership.billing == Billing.PROVIDER
            and membership.next_renewal_at is not None
            and membership.next_renewal_at <= now
        )
        if not due:
            return Outcome("not_due")
        start = membership.period_end
        renewal, _made = MembershipRenewal.objects.get_or_create(
            client_plan=membership,
            period_start=start,
            defaults={
                "period_end": add_months(start),
                "amount": membership.plan.price,
                "currency": membership.currency,
                "created_at": now,
            },
        )
    claimable = Q(status=RenewalStatus.DUE) | Q(
        status=RenewalStatus.CHARGING, claimed_at__lt=now - STALE_CLAIM
    )
    if not MembershipRenewal.objects.filter(claimable, pk=renewal.pk).update(
        status=RenewalStatus.CHARGING, claimed_at=now
    ):
        return None
    renewal.refresh_from_db()
    return renewal


def _paid(renewal_id: int, reference: str, *, now: datetime) -> Outcome:
    with transaction.atomic():
        renewal = MembershipRenewal.objects.select_for_update().get(pk=renewal_id)
        if renewal.status != RenewalStatus.CHARGING:
            return Outcome("busy", renewal.pk)
        membership = (
            ClientPlan.objects.select_for_update()
            .select_related("plan", "client")
            .get(pk=renewal.client_plan_id)
        )
        payment = None
        if renewal.amount > 0:
            payment = Payment.objects.create(
                purpose=PURPOSE,
                purpose_key=f"renewal-{renewal.pk}",
                amount=renewal.amount,
                currency=renewal.currency,
                provider=membership.provider,
                provider_reference=reference,
                provider_payment_reference=reference,
                status=PaymentStatus.PAID,
                created_at=now,
                paid_at=now,
            )
            charge = PaymentLedgerEntry.objects.create(
                payment=payment,
                kind=LedgerKind.CHARGE,
                amount=renewal.amount,
                currency=renewal.currency,
                provider=membership.provider,
                provider_reference=reference,
                at=now,
            )
            issue_receipt(entry=charge, now=now)
        MembershipRenewal.objects.filter(pk=renewal.pk).update(
            status=RenewalStatus.PAID, paid_at=now, payment=payment, last_error=""
        )
        membership.period_start, membership.period_end = renewal.period_start, renewal.period_end
        membership.next_renewal_at = renewal.period_end
        membership.renewal_failures = 0
        membership.save(update_fields=["period_start", "period_end", "next_renewal_at", "renewal_failures"])
        _announce(
            EventKind.MEMBERSHIP_RENEWED, membership, renewal, key=f"membership.renewed:{renewal.pk}", now=now
        )
    return Outcome("renewed", renewal.pk)


def _declined(renewal_id: int, message: str, *, now: datetime) -> Outcome:
    with transaction.atomic():
        renewal = MembershipRenewal.objects.select_for_update().get(pk=renewal_id)
        if renewal.status != RenewalStatus.CHARGING:
            return Outcome("busy", renewal.pk)
        membership = (
            ClientPlan.objects.select_for_update()
            .select_related("plan", "client")
            .get(pk=renewal.client_plan_id)
        )
        failures = renewal.failures + 1
        lapsed = failures > len(RETRY_AFTER)
        MembershipRenewal.objects.filter(pk=renewal.pk).update(
            status=RenewalStatus.FAILED if lapsed else RenewalStatus.DUE,
            failures=failures,
            last_error=message[:500],
        )
        membership.renewal_failures = failures
        if lapsed:
            membership.status = MembershipStatus.LAPSED
            membership.next_renewal_at = None
            cancel_bookings_after_end(membership=membership, now=now)
        else:
            membership.next_renewal_at = now + RETRY_AFTER[failures - 1]
        membership.save(update_fields=["renewal_failures", "status", "next_renewal_at"])
        _announce(
            EventKind.MEMBERSHIP_RENEWAL_FAILED,
            membership,
            renewal,
            key=f"membership.renewal_failed:{renewal.pk}:{failures}",
            now=now,
            attempt=failures,
            lapsed=lapsed,
        )
    return Outcome("lapsed" if lapsed else "declined", renewal.pk)


def _announce(
    kind: str, membership: ClientPlan, renewal: MembershipRenewal, *, key: str, now: datetime, **extra
) -> None:
    payload = {
        "client_plan_id": membership.pk,
        "plan": membership.plan.name,
        "amount": str(renewal.amount),
        "currency": renewal.currency,
        "period_end": renewal.period_end.isoformat(),
        **extra,
    }
    record_event(kind, client=membership.client, payload=payload, key=key, occurred_at=now)


def describe_renewal(payment: Payment) -> tuple[str, str]:
    """(what is bought, the client's e-mail) of a renewal's payment, for the provider's page."""
    renewal = MembershipRenewal.objects.select_related("client_plan__plan", "client_plan__client").get(
        payment=payment
    )
    return renewal.client_plan.plan.name, renewal.client_plan.client.email


def renewal_sale(payment: Payment) -> tuple[Client, str]:
    """The purpose's ``sale`` hook: the member, and the plan's name for the receipt's line
    ("Membership renewal (Unlimited monthly)")."""
    renewal_id = int(payment.purpose_key.removeprefix("renewal-"))
    renewal = MembershipRenewal.objects.select_related("client_plan__plan", "client_plan__client").get(
        pk=renewal_id
    )
    return renewal.client_plan.client, renewal.client_plan.plan.name
