"""Class packs and memberships bought online: an order, paid through the payments' purposes,
that makes the client's pack or membership once (docs/plans.md, "Buying a pack online")."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .payments import Payment
from .plans import ClientPlan, Plan

PLAN_ORDER = "plan_order"  # its payments' ``Payment.purpose``
PLAN_PURCHASED = "plan.purchased"  # the outbox event of a pack bought online
PLAN_REFUNDED = "plan.refunded"  # the outbox event of a pack bought online, refunded in full and void


def new_plan_order_token() -> str:
    return secrets.token_urlsafe(24)


class PlanOrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Waiting for payment")
    PAID = "paid", _("Paid")
    # Paid, but the client held the one-per-client plan by then: the payment is refunded.
    REFUSED = "refused", _("Refused and refunded")


class PlanOrder(models.Model):
    """A signed-in client buying a pack, or a membership's first month, online.

    Its payments are the ``Payment`` rows with purpose ``plan_order`` and ``purpose_key`` =
    ``token``; the one that paid is ``payment``, and ``client_plan`` is the pack (or membership) it made.
    ``return_to`` is the local page (a booking form) the client goes back to once paid.
    """

    token = models.CharField(max_length=64, unique=True, default=new_plan_order_token, editable=False)
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="orders")
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="plan_orders"
    )
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanOrderStatus.choices, default=PlanOrderStatus.AWAITING_PAYMENT
    )
    client_plan = models.OneToOneField(
        ClientPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="order"
    )
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_order"
    )
    return_to = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan order")
        verbose_name_plural = _("plan orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="plan_order_amount_positive"),
            # Paid means one pack made by one payment; waiting means neither; refused means paid, no pack.
            models.CheckConstraint(
                condition=Q(
                    status="paid", client_plan__isnull=False, payment__isnull=False, paid_at__isnull=False
                )
                | Q(status="awaiting_payment", client_plan__isnull=True, payment__isnull=True)
                | Q(status="refused", client_plan__isnull=True, payment__isnull=False),
                name="plan_order_paid_has_pack",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.amount} {self.currency} ({self.get_status_display()})"
