"""Pricing plans: what a client buys ahead to book with (docs/plans.md).

A class pack (``PlanKind.PACK``) is N credits for chosen services, each booking paid with it
uses one. A membership (``PlanKind.MEMBERSHIP``, ``models/memberships.py``) is a monthly period
renewed again and again, unlimited or N sessions a week or a month.
"""

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .membership_states import Billing, MembershipStatus, TestCard
from .services import Service
from .sessions import Booking


class PlanKind(models.TextChoices):
    PACK = "pack", _("Class pack")
    MEMBERSHIP = "membership", _("Membership")


class MembershipPeriod(models.TextChoices):
    """The window a membership's sessions are counted in (business time zone)."""

    WEEK = "week", _("a week (Monday to Sunday)")
    MONTH = "month", _("a calendar month")


class ValidFrom(models.TextChoices):
    PURCHASE = "purchase", _("From the day it is bought")
    FIRST_USE = "first_use", _("From its first booking")


class Plan(models.Model):
    """What the owner sells: a pack of ``credits`` sessions of ``services``, valid ``valid_days``."""

    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices, default=PlanKind.PACK)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    services = models.ManyToManyField(
        Service,
        verbose_name=_("services"),
        related_name="plans",
        help_text=_(
            "Appointments and classes a credit pays for. Services that need approval cannot be chosen."
        ),
    )
    credits = models.PositiveIntegerField(
        _("sessions"), validators=[MinValueValidator(1), MaxValueValidator(1000)], default=10
    )
    valid_days = models.PositiveIntegerField(
        _("valid for (days)"), validators=[MinValueValidator(1), MaxValueValidator(3660)], default=90
    )
    valid_from = models.CharField(
        _("validity starts"), max_length=16, choices=ValidFrom.choices, default=ValidFrom.PURCHASE
    )
    price = models.DecimalField(_("price"), max_digits=9, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    one_per_client = models.BooleanField(
        _("one per client"),
        default=False,
        help_text=_("An introductory offer: each client may have it once."),
    )
    no_show_forfeits = models.BooleanField(
        _("a no-show uses the credit"),
        default=True,
        help_text=_("Off: a client marked as a no-show gets the credit back."),
    )
    # A membership: at most ``sessions_per_period`` (empty: unlimited) per ``period``; its
    # ``price`` is charged every month; cancelling takes ``notice_days`` of notice.
    sessions_per_period = models.PositiveIntegerField(
        _("sessions per period"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Empty: unlimited."),
    )
    period = models.CharField(
        _("counted per"), max_length=8, choices=MembershipPeriod.choices, default=MembershipPeriod.WEEK
    )
    notice_days = models.PositiveIntegerField(
        _("cancellation notice (days)"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("A client cancelling stays a member until the first renewal date after this notice."),
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["is_archived", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="plan_price_not_negative"),
            models.CheckConstraint(condition=Q(credits__gte=1), name="plan_credits_positive"),
            models.CheckConstraint(condition=Q(valid_days__gte=1), name="plan_valid_days_positive"),
            models.CheckConstraint(
                condition=Q(sessions_per_period__isnull=True) | Q(sessions_per_period__gte=1),
                name="plan_sessions_per_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_membership(self) -> bool:
        return self.kind == PlanKind.MEMBERSHIP


class ClientPlanSource(models.TextChoices):
    SOLD = "sold", _("Sold at the desk")
    GIVEN = "given", _("Given")
    ONLINE = "online", _("Bought online")


class ClientPlan(models.Model):
    """One client's pack: ``credits_used`` of ``credits_total``, until ``valid_until``.

    ``valid_until`` is empty for a pack valid from its first use that has not been used yet.
    A credit is used by a conditional ``UPDATE … WHERE credits_used < credits_total`` and given
    back at most once per booking (``PlanCreditUse``).
    """

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="plans")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="client_plans")
    credits_total = models.PositiveIntegerField(_("credits"))
    credits_used = models.PositiveIntegerField(_("credits used"), default=0)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("how"), max_length=8, choices=ClientPlanSource.choices)
    price_paid = models.DecimalField(_("paid"), max_digits=9, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("bought"))
    created_by = models.ForeignKey(
        "bookings_app.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A membership's state (``models/memberships.py``); a pack leaves these at their defaults.
    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    period_start = models.DateTimeField(_("period start"), null=True, blank=True)
    period_end = models.DateTimeField(_("period end"), null=True, blank=True)
    next_renewal_at = models.DateTimeField(_("next renewal"), null=True, blank=True)
    cancel_at = models.DateTimeField(_("ends on"), null=True, blank=True)
    billing = models.CharField(_("renewed"), max_length=12, choices=Billing.choices, default=Billing.DESK)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    provider_customer = models.CharField(max_length=255, blank=True)
    provider_payment_method = models.CharField(max_length=255, blank=True)
    test_card = models.CharField(_("test card"), max_length=12, choices=TestCard.choices, blank=True)
    renewal_failures = models.PositiveIntegerField(default=0)
    # A pack bought online given back (``services/plan_refunds.py``): from the refund's request it
    # pays for nothing (``refund_asked_at``, a condition of the credit's UPDATE); ``voided_at`` is
    # set in the transaction that enters the refund in the payments ledger.
    refund_asked_at = models.DateTimeField(_("refund asked"), null=True, blank=True)
    voided_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        verbose_name = _("client plan")
        verbose_name_plural = _("client plans")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "valid_until"], name="client_plan_client_valid_idx"),
            models.Index(fields=["next_renewal_at"], name="client_plan_renewal_due_idx"),
        ]
        constraints = [
            # Never more credits used than bought: the guard of every booking paid with a plan.
            models.CheckConstraint(
                condition=Q(credits_used__lte=F("credits_total")), name="client_plan_credits_not_overused"
            ),
            models.CheckConstraint(condition=Q(price_paid__gte=0), name="client_plan_price_not_negative"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__gt=F("period_start")),
                name="client_plan_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.client}"

    @property
    def credits_left(self) -> int:
        return self.credits_total - self.credits_used

    def expiry_for(self, now: datetime) -> datetime:
        """When the pack ends: its date, or for an unused pack valid from first use, ``now`` plus its days."""
        return self.valid_until or now + timedelta(days=self.plan.valid_days)


class PlanCreditUse(models.Model):
    """The credit one booking used. Given back (``returned_at``) at most once."""

    client_plan = models.ForeignKey(ClientPlan, on_delete=models.PROTECT, related_name="uses")
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="plan_credit")
    used_at = models.DateTimeField(_("used"))
    returned_at = models.DateTimeField(_("given back"), null=True, blank=True)
    return_reason = models.CharField(_("why given back"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("plan credit use")
        verbose_name_plural = _("plan credit uses")
        ordering = ["-used_at", "-pk"]
        constraints = [
            # A returned credit says why; one still used says nothing.
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True, return_reason="")
                | Q(returned_at__isnull=False) & ~Q(return_reason=""),
                name="plan_credit_use_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_plan} · {self.booking_id}"
