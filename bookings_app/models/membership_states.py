"""The choices a client's membership is described by (its fields live on ``ClientPlan``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FROZEN = "frozen", _("Frozen")  # shown while a freeze covers today; never stored
    CANCELLING = "cancelling", _("Cancelling at period end")
    CANCELLED = "cancelled", _("Cancelled")
    LAPSED = "lapsed", _("Lapsed (renewal failed)")


MEMBER_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.CANCELLING)


class Billing(models.TextChoices):
    DESK = "desk", _("At the desk (renewed by hand)")
    PROVIDER = "provider", _("Automatically through the payment provider")


class TestCard(models.TextChoices):
    """The embedded test provider's stand-in for a saved card: how its renewals go."""

    RENEWS = "renews", _("Renews")
    DECLINES = "declines", _("Declines renewals")
