"""Memberships: the owner's and client's changes (extend, freeze, cancel, a renewal paid at the
desk). Starting one and booking with it are in ``membership_use.py``, renewals through the
provider in ``membership_renewals.py``; docs/plans.md, "Memberships".

Every change locks the membership's ``ClientPlan`` row first, and a booking counts the sessions
of its period under that lock, so simultaneous bookings are counted one after the other.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    MEMBER_STATUSES,
    ClientPlan,
    MembershipFreeze,
    MembershipRenewal,
    MembershipStatus,
    RenewalStatus,
)
from ..selectors.memberships import add_months, notice_end_for
from .membership_bookings import cancel_bookings_after_end, cancel_bookings_in_freeze
from .plan_errors import PlanError

MAX_FREEZE = timedelta(days=366)
MAX_EXTENSION_DAYS = 366


def _locked(membership: ClientPlan) -> ClientPlan:
    locked = ClientPlan.objects.select_for_update().select_related("plan").get(pk=membership.pk)
    if not locked.plan.is_membership:
        raise PlanError(_("This is not a membership."))
    return locked


def _move_end(membership: ClientPlan, by: timedelta) -> None:
    membership.period_end += by
    if membership.next_renewal_at:
        membership.next_renewal_at += by
    if membership.cancel_at:
        membership.cancel_at += by
    membership.save(update_fields=["period_end", "next_renewal_at", "cancel_at"])


def extend_membership(*, membership: ClientPlan, days: int) -> ClientPlan:
    """Move the membership's end (and its next renewal) ``days`` later: a gift of time."""
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise PlanError(_("Extend by 1 to 366 days."))
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status not in MEMBER_STATUSES:
            raise PlanError(_("Only an active membership can be extended."))
        _move_end(locked, timedelta(days=days))
    return locked


def freeze_membership(
    *, membership: ClientPlan, starts_at: datetime, ends_at: datetime, by=None, now: datetime
) -> MembershipFreeze:
    """No bookings from ``starts_at`` to ``ends_at``; the end and the next renewal move by its length.
    Bookings it paid for inside the freeze are cancelled in the same transaction
    (``membership_bookings``).

    Raises PlanError for a freeze that ends before it starts, is longer than a year, starts in
    the past, overlaps another one, or a membership that is not active.
    """
    if ends_at <= starts_at:
        raise PlanError(_("The freeze must end after it starts."))
    if ends_at - starts_at > MAX_FREEZE:
        raise PlanError(_("A freeze lasts at most a year."))
    if starts_at < now - timedelta(days=1):
        raise PlanError(_("A freeze cannot start in the past."))
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status not in MEMBER_STATUSES:
            raise PlanError(_("Only an active membership can be frozen."))
        if starts_at >= locked.period_end:
            raise PlanError(_("The freeze must start before the membership's period ends."))
        if MembershipFreeze.objects.filter(
            client_plan=locked, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists():
            raise PlanError(_("This freeze overlaps another one."))
        freeze = MembershipFreeze.objects.create(
            client_plan=locked, starts_at=starts_at, ends_at=ends_at, created_at=now, created_by=by
        )
        _move_end(locked, ends_at - starts_at)
        freeze.cancelled_bookings = cancel_bookings_in_freeze(
            membership=locked, freeze=freeze, by=by, now=now
        )
    return freeze


def cancel_membership(
    *, membership: ClientPlan, at_once: bool = False, by=None, now: datetime | None = None
) -> ClientPlan:
    """Cancel at the end of the period the notice reaches (the client's way), or at once (the
    owner's): nothing is renewed from then on. At once, the bookings it paid for from now on are
    cancelled in the same transaction; at the period end they are all before it and stay."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status not in MEMBER_STATUSES:
            raise PlanError(_("This membership is not active."))
        if at_once:
            locked.status = MembershipStatus.CANCELLED
            locked.period_end = max(now, locked.period_start + timedelta(seconds=1))
            locked.cancel_at = locked.period_end
            locked.next_renewal_at = None
        else:
            locked.status = MembershipStatus.CANCELLING
            locked.cancel_at = notice_end_for(locked, now)
        locked.save(update_fields=["status", "period_end", "cancel_at", "next_renewal_at"])
        locked.cancelled_bookings = (
            cancel_bookings_after_end(membership=locked, by=by, now=now) if at_once else []
        )
    return locked


def end_cancelled(*, membership_id: int, now: datetime) -> bool:
    """A cancelling membership whose end came: cancelled, no renewal (beat, before renewing);
    a booking it paid for after its end, if any, is cancelled with it."""
    with transaction.atomic():
        ended = ClientPlan.objects.filter(
            pk=membership_id, status=MembershipStatus.CANCELLING, cancel_at__lte=now, period_end__lte=now
        ).update(status=MembershipStatus.CANCELLED, next_renewal_at=None)
        if ended:
            membership = ClientPlan.objects.select_related("plan").get(pk=membership_id)
            cancel_bookings_after_end(membership=membership, now=now)
        return bool(ended)


def record_desk_renewal(
    *, membership: ClientPlan, amount: Decimal | None = None, by=None, now: datetime
) -> MembershipRenewal:
    """The next month paid in person: a renewal row (once per period) and the period moved on."""
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status not in MEMBER_STATUSES or locked.cancel_at and locked.cancel_at <= locked.period_end:
            raise PlanError(_("This membership ends and is not renewed."))
        amount = locked.plan.price if amount is None else amount
        if amount < 0:
            raise PlanError(_("The price cannot be negative."))
        start = locked.period_end
        end = add_months(start)
        try:
            with transaction.atomic():
                renewal = MembershipRenewal.objects.create(
                    client_plan=locked,
                    period_start=start,
                    period_end=end,
                    amount=amount,
                    currency=locked.currency,
                    status=RenewalStatus.PAID_AT_DESK,
                    created_at=now,
                    paid_at=now,
                    recorded_by=by,
                )
        except IntegrityError as e:
            raise PlanError(_("This period is already renewed.")) from e
        locked.period_start, locked.period_end = start, end
        locked.next_renewal_at = end
        locked.save(update_fields=["period_start", "period_end", "next_renewal_at"])
    return renewal
