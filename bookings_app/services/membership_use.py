"""Memberships: starting one and booking with it (docs/plans.md, "Memberships").

Apart from the owner's changes (``memberships.py``), which cancel bookings and so import the
booking changes: a booking change gives a membership's session back through ``plans.py``,
which starts and uses memberships through this module.

A booking locks the membership's ``ClientPlan`` row first and counts the sessions of its
period under that lock, so simultaneous bookings are counted one after the other.
"""

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ..models import (
    Billing,
    Booking,
    Client,
    ClientPlan,
    MembershipStatus,
    PaymentMethod,
    Plan,
    PlanCreditUse,
    TestCard,
)
from ..selectors.memberships import add_months, membership_refusal
from .plan_errors import PlanCreditRefused, PlanError


def start_membership(
    *,
    plan: Plan,
    client: Client,
    source: str,
    price_paid: Decimal,
    note: str = "",
    by=None,
    now: datetime,
    billing: str = Billing.DESK,
    provider: str = "",
    test_card: str = "",
    provider_customer: str = "",
    provider_payment_method: str = "",
) -> ClientPlan:
    """A membership's first month from ``now``; call inside ``give_plan``'s transaction."""
    if billing == Billing.PROVIDER and provider == "test" and test_card not in TestCard.values:
        raise PlanError(_("Choose how the test card renews."))
    if (
        billing == Billing.PROVIDER
        and provider == "stripe"
        and not (provider_customer and provider_payment_method)
    ):
        raise PlanError(_("A membership renewed through Stripe needs the customer and its saved card."))
    end = add_months(now)
    return ClientPlan.objects.create(
        client=client,
        plan=plan,
        credits_total=0,
        source=source,
        price_paid=price_paid,
        currency=plan.currency,
        note=note.strip(),
        created_at=now,
        created_by=by,
        status=MembershipStatus.ACTIVE,
        period_start=now,
        period_end=end,
        next_renewal_at=end,
        billing=billing,
        provider=provider if billing == Billing.PROVIDER else "",
        test_card=test_card if billing == Billing.PROVIDER else "",
        provider_customer=provider_customer,
        provider_payment_method=provider_payment_method,
    )


def use_membership(*, membership_id: int, booking: Booking, now: datetime, at_the_door: bool = False) -> None:
    """Pay ``booking`` with the membership; call inside the booking's transaction.

    The membership's row is locked first, so the count of its sessions in the week or month
    and the new use are one step for simultaneous bookings. ``at_the_door``: a walk-in seated
    at the tablet, whose session may have started. Raises PlanCreditRefused.
    """
    membership = (
        ClientPlan.objects.select_for_update()
        .select_related("plan")
        .filter(pk=membership_id, client_id=booking.client_id, plan__services=booking.service_id)
        .first()
    )
    if membership is None:
        raise PlanCreditRefused()
    reason = membership_refusal(membership, booking.session.start, now, at_the_door=at_the_door)
    if reason:
        raise PlanCreditRefused(reason)
    try:
        with transaction.atomic():
            PlanCreditUse.objects.create(client_plan_id=membership.pk, booking=booking, used_at=now)
    except IntegrityError as e:
        raise PlanCreditRefused() from e
    Booking.objects.filter(pk=booking.pk).update(paid_at=now, payment_method=PaymentMethod.PLAN)
    booking.paid_at, booking.payment_method = now, PaymentMethod.PLAN
