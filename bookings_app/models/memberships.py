"""A membership's history: its renewals (one per period, whatever retries) and its freezes.

A membership is a ``ClientPlan`` of a ``PlanKind.MEMBERSHIP`` plan (docs/plans.md, "Memberships").
"""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .payments import Payment
from .plans import ClientPlan


class RenewalStatus(models.TextChoices):
    DUE = "due", _("Due")
    CHARGING = "charging", _("Being charged")
    PAID = "paid", _("Paid")
    PAID_AT_DESK = "paid_at_desk", _("Paid at the desk")
    FAILED = "failed", _("Failed")


class MembershipRenewal(models.Model):
    """The charge for one period of a membership: unique per membership and period start, so a
    beat run twice, or two workers at once, charge it once."""

    client_plan = models.ForeignKey(ClientPlan, on_delete=models.PROTECT, related_name="renewals")
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=16, choices=RenewalStatus.choices, default=RenewalStatus.DUE
    )
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="membership_renewal"
    )
    created_at = models.DateTimeField(_("created"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "bookings_app.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("membership renewal")
        verbose_name_plural = _("membership renewals")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_plan", "period_start"], name="membership_renewal_once_per_period"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="membership_renewal_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="membership_renewal_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_plan} · {self.period_start:%Y-%m-%d}"


class MembershipFreeze(models.Model):
    """No bookings from ``starts_at`` to ``ends_at``; the membership's end moved by its length."""

    client_plan = models.ForeignKey(ClientPlan, on_delete=models.PROTECT, related_name="freezes")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        "bookings_app.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("membership freeze")
        verbose_name_plural = _("membership freezes")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="membership_freeze_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_plan} · {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"

    @property
    def last_moment(self):
        """The freeze's last instant, to show its last day (``ends_at`` is the midnight after it)."""
        return self.ends_at - timedelta(microseconds=1)
