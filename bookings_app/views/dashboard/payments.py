"""The owner refunds an online payment in full or in part from the booking's page, and tries a
failed refund again. Each answer goes back to the booking's page with what happened."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import Payment, PaymentRefund, RefundStatus
from ...services import payments as payment_services
from ...web.access import owner_required


def _get_payment_for_owner(pk: int) -> Payment:
    return get_object_or_404(Payment.objects.select_related("booking"), pk=pk, booking__isnull=False)


def _get_refund_for_owner(pk: int) -> PaymentRefund:
    return get_object_or_404(
        PaymentRefund.objects.select_related("payment"), pk=pk, payment__booking__isnull=False
    )


def _told(request: HttpRequest, refund: PaymentRefund) -> None:
    if refund.status == RefundStatus.SUCCEEDED:
        messages.success(
            request,
            _("%(amount)s %(currency)s refunded.")
            % {"amount": refund.amount, "currency": refund.payment.currency},
        )
    elif refund.status == RefundStatus.FAILED:
        messages.error(
            request, _("The refund failed: %(error)s You can try again.") % {"error": refund.error}
        )
    else:
        messages.info(
            request, _("The refund has been asked for; it shows here once the provider confirms it.")
        )


@owner_required
@require_POST
def refund(request: HttpRequest, pk: int) -> HttpResponse:
    """``amount`` (empty: everything still refundable) of the payment back to the client."""
    payment = _get_payment_for_owner(pk)
    raw = request.POST.get("amount", "").strip().replace(",", ".")
    try:
        amount = Decimal(raw) if raw else payment.refundable
        if not amount.is_finite() or abs(amount) > 10**7:
            raise InvalidOperation
    except InvalidOperation:
        messages.error(request, _("Enter an amount such as 12.50."))
        return redirect("dashboard:booking", pk=payment.booking_id)
    try:
        asked = payment_services.request_refund(payment=payment, amount=amount, by=request.user)
    except payment_services.PaymentError as error:
        messages.error(request, error.message)
        return redirect("dashboard:booking", pk=payment.booking_id)
    _told(request, payment_services.send_refund(refund_id=asked.pk))
    return redirect("dashboard:booking", pk=payment.booking_id)


@owner_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    refund = _get_refund_for_owner(pk)
    try:
        refund = payment_services.retry_refund(refund=refund)
    except payment_services.PaymentError as error:
        messages.error(request, error.message)
    else:
        _told(request, refund)
    return redirect("dashboard:booking", pk=refund.payment.booking_id)
