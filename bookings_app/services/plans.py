"""Pricing plans (class packs): the owner's catalogue of plans, giving or selling one to a
client, and booking with its credits (docs/plans.md).

A credit is used by a conditional ``UPDATE … SET credits_used = credits_used + 1 WHERE
credits_used < credits_total`` inside the booking's transaction, so a pack's last credit pays
for exactly one booking however many are made at once; each booking uses at most one credit
(``PlanCreditUse.booking`` is unique) and gets it back at most once (``returned_at IS NULL``).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.events import record_event
from ..models import (
    Actor,
    Booking,
    Business,
    Client,
    ClientPlan,
    ClientPlanSource,
    EventKind,
    PaymentMethod,
    Plan,
    PlanCreditUse,
    PlanKind,
    Service,
    ServiceKind,
    ValidFrom,
)
from .plan_errors import USE_PLAN_FIELD, PlanCreditRefused, PlanError  # noqa: F401 (USE_PLAN_FIELD: re-exported)

PLAN_FIELDS = (
    "name",
    "description",
    "credits",
    "valid_days",
    "valid_from",
    "price",
    "currency",
    "one_per_client",
    "no_show_forfeits",
    "sessions_per_period",
    "period",
    "notice_days",
)
PLAN_KINDS = (ServiceKind.APPOINTMENT, ServiceKind.CLASS)


def approval_conflict_message() -> str:
    return _("A service connected to a plan cannot require approval: clients book it with their credits.")


def plan_conflict_message() -> str:
    return _("Services that need your approval cannot be part of a plan: switch approval off first.")


def services_a_plan_may_hold(services: Iterable[Service]) -> None:
    """Raise PlanError for a service a plan may not hold: a course, or one that needs approval (seed 003)."""
    for service in services:
        if service.kind not in PLAN_KINDS:
            raise PlanError(
                _("Plans are for appointments and classes, not courses: “%(name)s”.") % {"name": service.name}
            )
        if service.requires_approval:
            raise PlanError(plan_conflict_message())


def save_plan(
    *, plan: Plan | None = None, services: Iterable[Service], kind: str = PlanKind.PACK, **fields
) -> Plan:
    """Create (``plan`` None) or edit a plan: the fields of ``PLAN_FIELDS`` and its services.

    Raises PlanError for no service, a course, or a service that needs approval. Packs already
    sold keep their credits and dates. ``kind`` (a pack or a membership) is chosen once, at creation.
    """
    services = list(services)
    if not services:
        raise PlanError(_("Choose at least one service."))
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = list(
            Service.objects.select_for_update().filter(pk__in=[s.pk for s in services]).order_by("pk")
        )
        services_a_plan_may_hold(locked)
        plan = plan or Plan(kind=kind)
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.currency = (plan.currency or Business.current().currency).upper()
        plan.save()
        plan.services.set(locked)
    return plan


def set_plan_archived(*, plan: Plan, archived: bool) -> Plan:
    """Archive a plan (no longer given or sold; packs already held still book) or bring it back."""
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(is_archived=archived)
        plan.refresh_from_db(fields=["is_archived"])
    return plan


def give_plan(
    *,
    plan: Plan,
    client: Client,
    source: str = ClientPlanSource.SOLD,
    price_paid: Decimal | None = None,
    note: str = "",
    by=None,
    now: datetime | None = None,
    **billing,
) -> ClientPlan:
    """Give ``client`` the pack ``plan``: sold at the desk (paid in person, ``price_paid``, by
    default the plan's price) or given for nothing.

    Raises PlanError for an archived plan, or a one-per-client plan the client already had
    (checked under a lock on the client's row, so two desks at once give it once). A membership
    starts its first month now (``services.membership_use.start_membership``, with ``billing``).
    """
    now = now or timezone.now()
    if source not in (ClientPlanSource.SOLD, ClientPlanSource.GIVEN):  # bought online: plan_purchases
        raise PlanError(_("Choose whether the pack is sold or given."))
    if source == ClientPlanSource.GIVEN:
        price_paid = Decimal("0")
    elif price_paid is None:
        price_paid = plan.price
    if price_paid < 0:
        raise PlanError(_("The price cannot be negative."))
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()
        plan = Plan.objects.get(pk=plan.pk)
        if plan.is_archived:
            raise PlanError(_("This plan is archived: it can no longer be given or sold."))
        if plan.one_per_client and ClientPlan.objects.filter(client=client, plan=plan).exists():
            raise PlanError(_("This plan is one per client, and this client already had it."))
        if plan.is_membership:
            from .membership_use import start_membership

            return start_membership(
                plan=plan,
                client=client,
                source=source,
                price_paid=price_paid,
                note=note,
                by=by,
                now=now,
                **billing,
            )
        return ClientPlan.objects.create(
            client=client,
            plan=plan,
            credits_total=plan.credits,
            valid_until=now + timedelta(days=plan.valid_days)
            if plan.valid_from == ValidFrom.PURCHASE
            else None,
            source=source,
            price_paid=price_paid,
            currency=plan.currency,
            note=note.strip(),
            created_at=now,
            created_by=by,
        )


def use_credit(*, client_plan_id: int, bookings: list[Booking], now: datetime | None = None) -> None:
    """Pay each of ``bookings`` with one credit of the pack; call inside the booking's transaction.

    Raises PlanCreditRefused (rolling the booking back) when the pack is not the booking
    client's, does not cover the service, has run out of credits, or ends before the session.
    The credit and, for an unused pack valid from first use, its end date are set by one
    conditional UPDATE whose conditions are the rules, so nothing read before it can be stale.
    """
    now = now or timezone.now()
    if ClientPlan.objects.filter(pk=client_plan_id, plan__kind=PlanKind.MEMBERSHIP).exists():
        from .membership_use import use_membership

        for booking in bookings:
            use_membership(membership_id=client_plan_id, booking=booking, now=now)
        return
    for booking in bookings:
        fits = ClientPlan.objects.filter(
            pk=client_plan_id, client_id=booking.client_id, plan__services=booking.service_id
        )
        plan = fits.select_related("plan").first()
        if plan is None:
            raise PlanCreditRefused()
        if not _take_credit(plan, session_start=booking.session.start, now=now):
            plan.refresh_from_db(fields=["credits_used", "credits_total", "valid_until", "refund_asked_at"])
            if plan.refund_asked_at:
                raise PlanCreditRefused(_("This pack is refunded: it pays for nothing more."))
            if plan.credits_left <= 0:
                raise PlanCreditRefused(_("Your pack has no credits left."))
            raise PlanCreditRefused(_("Your pack ends before this session."))
        try:
            with transaction.atomic():
                PlanCreditUse.objects.create(client_plan_id=plan.pk, booking=booking, used_at=now)
        except IntegrityError as e:  # one credit per booking
            raise PlanCreditRefused() from e
        # The desk and the tablet read it as paid: nothing is due in person.
        Booking.objects.filter(pk=booking.pk).update(paid_at=now, payment_method=PaymentMethod.PLAN)
        booking.paid_at, booking.payment_method = now, PaymentMethod.PLAN
        announce_if_used_up(client_plan_id=plan.pk, booking=booking, now=now)


def _take_credit(plan: ClientPlan, *, session_start: datetime, now: datetime) -> bool:
    """One credit, if one is left, the pack is valid at ``session_start`` and no refund of it is
    asked; a pack valid from first use that has no end yet gets it now (``now`` plus its days),
    in the same UPDATE."""
    first_use_end = now + timedelta(days=plan.plan.valid_days)
    still_valid = Q(valid_until__gt=max(now, session_start))
    if session_start < first_use_end:
        still_valid |= Q(valid_until__isnull=True)
    return bool(
        ClientPlan.objects.filter(
            still_valid, pk=plan.pk, credits_used__lt=F("credits_total"), refund_asked_at__isnull=True
        ).update(
            credits_used=F("credits_used") + 1,
            valid_until=Coalesce(F("valid_until"), Value(first_use_end, output_field=DateTimeField())),
        )
    )


def announce_if_used_up(*, client_plan_id: int, booking: Booking, now: datetime) -> None:
    """ "Last credit used": once per pack, when a booking uses its last credit (automations)."""
    plan = ClientPlan.objects.select_related("plan").get(pk=client_plan_id)
    if plan.credits_used < plan.credits_total:
        return
    record_event(
        EventKind.PLAN_CREDITS_USED_UP,
        booking=booking,
        payload={"client_plan_id": plan.pk, "plan": plan.plan.name},
        key=f"plan.credits_used_up:{plan.pk}",
        occurred_at=now,
        actor=Actor.SYSTEM,
    )


def return_credit(*, booking: Booking, reason: str, now: datetime | None = None) -> bool:
    """Give the booking's credit back to its pack, once; False when it used none or had it back."""
    now = now or timezone.now()
    with transaction.atomic():
        use = PlanCreditUse.objects.filter(booking=booking, returned_at__isnull=True).first()
        if use is None:
            return False
        if not PlanCreditUse.objects.filter(pk=use.pk, returned_at__isnull=True).update(
            returned_at=now, return_reason=reason
        ):
            return False
        ClientPlan.objects.filter(pk=use.client_plan_id, credits_used__gt=0).update(
            credits_used=F("credits_used") - 1
        )
    return True


def return_credit_for_cancellation(*, booking: Booking, by_client: bool, now: datetime) -> bool:
    """A booking cancelled in time (by the client before the cancellation window closes, or by the
    team) gets its credit back; one cancelled later by the client does not."""
    in_time = booking.session.start - Business.current().cancel_window > now
    if by_client and not in_time:
        return False
    return return_credit(booking=booking, reason="cancelled", now=now)


def return_credit_for_no_show(*, booking: Booking, now: datetime) -> bool:
    """A no-show keeps the credit used unless the pack's plan says a no-show does not forfeit it."""
    use = PlanCreditUse.objects.filter(booking=booking).select_related("client_plan__plan").first()
    if use is None or use.client_plan.plan.no_show_forfeits:
        return False
    return return_credit(booking=booking, reason="no_show", now=now)


def retake_credit_after_undo(*, booking: Booking) -> None:
    """A no-show tapped by mistake and undone uses its credit again, if the pack has one left."""
    with transaction.atomic():
        use = PlanCreditUse.objects.filter(booking=booking, return_reason="no_show").first()
        if use is None:
            return
        if ClientPlan.objects.filter(pk=use.client_plan_id, plan__kind=PlanKind.MEMBERSHIP).exists():
            PlanCreditUse.objects.filter(pk=use.pk).update(returned_at=None, return_reason="")
            return
        if ClientPlan.objects.filter(pk=use.client_plan_id, credits_used__lt=F("credits_total")).update(
            credits_used=F("credits_used") + 1
        ):
            PlanCreditUse.objects.filter(pk=use.pk).update(returned_at=None, return_reason="")
            announce_if_used_up(client_plan_id=use.client_plan_id, booking=booking, now=timezone.now())
