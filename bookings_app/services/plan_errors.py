"""What the plan services refuse with: shared by packs (``plans.py``) and memberships
(``memberships.py``)."""

from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError, PaymentRefused

USE_PLAN_FIELD = "use_plan"


class PlanError(BookingError):
    default_message = _("This plan could not be saved.")


class PlanCreditRefused(PaymentRefused):
    """The chosen pack cannot pay for this booking; nothing is booked."""

    default_message = _("Your pack cannot pay for this booking any more. Please choose another way to pay.")

    def __init__(self, message=None):
        super().__init__(message, field=USE_PLAN_FIELD, status=409)
