"""What the owner is told after asking the provider for a refund (a sold gift card, a pack
bought online): done, failed with a retry, or still waiting for the provider."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ..models import PaymentRefund, RefundStatus


def tell_refund_outcome(request: HttpRequest, refund: PaymentRefund, *, succeeded: str) -> None:
    """``succeeded``: the translated message for a refund the provider has made."""
    if refund.status == RefundStatus.SUCCEEDED:
        messages.success(request, succeeded)
    elif refund.status == RefundStatus.FAILED:
        messages.error(
            request, _("The refund failed: %(error)s You can try again.") % {"error": refund.error}
        )
    else:
        messages.info(
            request, _("The refund has been asked for; it shows here once the provider confirms it.")
        )
