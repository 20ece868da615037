"""The payments audit: each payment's stored state agrees with its ledger entries.

- a charged payment (paid, partly refunded, refunded) has exactly one charge entry of its
  amount and currency; any other payment has none;
- the refund entries add up to the stored ``refunded_amount``, and never exceed the charge;
- the status follows the refunds: none → paid, some → partly refunded, all → refunded;
- a provider's fee belongs to a charge of its own payment and is no more than it.

Four queries, whatever the size of the ledger: the entries grouped by payment, the entries in
another currency than their payment's, the fees on another payment's charge, and the payments.
"""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from ..models import Payment, PaymentLedgerEntry, PaymentStatus
from ..models.payments import CHARGED_STATUSES

ZERO = Decimal("0.00")


def check_payments_ledger() -> list[str]:
    """A readable line per problem found; [] when payments and ledger agree."""
    sums = {
        row["payment_id"]: row
        for row in PaymentLedgerEntry.objects.order_by()
        .values("payment_id")
        .annotate(
            charges=Count("id", filter=Q(kind="charge")),
            charged=Sum("amount", filter=Q(kind="charge")),
            refunded=Sum("amount", filter=Q(kind="refund")),
            fees=Sum("amount", filter=Q(kind="fee")),
        )
    }
    fee_elsewhere = set(
        PaymentLedgerEntry.objects.filter(kind="fee")
        .exclude(charge__payment_id=F("payment_id"))
        .order_by()
        .values_list("payment_id", flat=True)
    )
    wrong_currency = set(
        PaymentLedgerEntry.objects.exclude(currency=F("payment__currency"))
        .order_by()
        .values_list("payment_id", flat=True)
        .distinct()
    )
    problems = []
    for payment in Payment.objects.order_by("pk").only(
        "pk", "amount", "currency", "status", "refunded_amount"
    ):
        row = sums.get(payment.pk, {})
        charges, charged = row.get("charges", 0), row.get("charged") or ZERO
        refunded = row.get("refunded") or ZERO
        fees = row.get("fees") or ZERO
        words = {"payment": payment.pk, "currency": payment.currency}
        if payment.status in CHARGED_STATUSES:
            if charges != 1 or charged != payment.amount:
                problems.append(
                    _(
                        "Payment #%(payment)d: %(amount)s %(currency)s was paid"
                        " but the ledger charges %(charged)s."
                    )
                    % {**words, "amount": payment.amount, "charged": charged}
                )
        elif charges:
            problems.append(
                _("Payment #%(payment)d is %(status)s but the ledger has a charge for it.")
                % {**words, "status": payment.get_status_display()}
            )
        if refunded != payment.refunded_amount:
            problems.append(
                _(
                    "Payment #%(payment)d: %(stored)s %(currency)s is recorded as refunded"
                    " but the ledger refunds %(refunded)s."
                )
                % {**words, "stored": payment.refunded_amount, "refunded": refunded}
            )
        if refunded > charged:
            problems.append(_("Payment #%(payment)d: more was refunded than was charged.") % words)
        if fees > charged or payment.pk in fee_elsewhere:
            problems.append(
                _("Payment #%(payment)d: the ledger has a fee of %(fees)s for a charge of %(charged)s.")
                % {**words, "fees": fees, "charged": charged}
            )
        expected = _status_for(payment.amount, refunded)
        if payment.status in CHARGED_STATUSES and payment.status != expected:
            problems.append(
                _("Payment #%(payment)d is %(status)s but its refunds say %(expected)s.")
                % {**words, "status": payment.get_status_display(), "expected": PaymentStatus(expected).label}
            )
        if payment.pk in wrong_currency:
            problems.append(_("Payment #%(payment)d has ledger entries in another currency.") % words)
    return problems


def _status_for(amount: Decimal, refunded: Decimal) -> str:
    if refunded <= 0:
        return PaymentStatus.PAID
    return PaymentStatus.REFUNDED if refunded >= amount else PaymentStatus.PARTLY_REFUNDED
