"""A receipt or credit note as a person reads it: its e-mail and its PDF (WeasyPrint), in the
active language, from what the receipt copied when it was issued (``Receipt.snapshot``)."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ..models import Receipt
from ..models.payments import CARD_AT_DESK, CASH, RefundReason
from ..models.receipts import ReceiptSeries
from ..plug_ins.payment_purposes import purpose_label

if TYPE_CHECKING:
    from weasyprint import Document


def money(amount: Decimal | str, currency: str) -> str:
    """ "25.00 EUR" in the active language's number format."""
    return f"{number_format(Decimal(amount), decimal_pos=2, force_grouping=True)} {currency}"


def percent(rate: Decimal) -> str:
    """20 or 5.5, as the active language writes it."""
    whole = rate == rate.to_integral_value()
    return number_format(rate, decimal_pos=0 if whole else 2 if rate * 10 % 1 else 1)


def provider_name(provider: str) -> str:
    names = {"test": _("test provider"), CASH: _("cash"), CARD_AT_DESK: _("card at the desk")}
    return names.get(provider) or provider.capitalize()


def _method(payment: dict, *, credit_note: bool) -> str:
    """How the money moved: "Paid online (Stripe)", "Paid in person (cash)", "Refunded …"."""
    words = {"provider": provider_name(payment.get("provider", ""))}
    if payment.get("method") == "in_person":
        return (
            _("Refunded in person (%(provider)s)") if credit_note else _("Paid in person (%(provider)s)")
        ) % words
    return (_("Refunded online (%(provider)s)") if credit_note else _("Paid online (%(provider)s)")) % words


def _sale_line(sale: dict) -> str:
    """A sale's line in the active language: "Gift card (…AB12)"."""
    label = purpose_label(sale.get("purpose", "")) if sale.get("purpose") else sale.get("label", "")
    detail = sale.get("detail", "")
    return f"{label} ({detail})" if detail else label


def receipt_context(receipt: Receipt) -> dict:
    """What the e-mail and the PDF print, in the active language; times in the business's zone
    as it was when the receipt was issued."""
    shown = receipt.snapshot
    booking = shown.get("booking", {})
    tz_name = booking.get("time_zone") or "UTC"
    with timezone.override(tz_name):
        issued_on = date_format(timezone.localtime(receipt.issued_at), "DATE_FORMAT")
        start = booking.get("start")
        when = (
            date_format(timezone.localtime(datetime.fromisoformat(start)), "DATETIME_FORMAT") if start else ""
        )
    payment = shown.get("payment", {})
    what = _sale_line(shown["sale"]) if shown.get("sale") else booking.get("service", "")
    if receipt.is_credit_note:
        line = _("Refund: %(service)s") % {"service": what}
    elif payment.get("deposit"):
        line = _("Deposit: %(service)s") % {"service": what}
    else:
        line = what
    discount = shown.get("discount")
    refund = shown.get("refund") or {}
    return {
        "receipt": receipt,
        "title": _("Credit note") if receipt.is_credit_note else _("Receipt"),
        "number": receipt.display_number,
        "issued_on": issued_on,
        "seller": shown.get("business", {}),
        "client_name": shown.get("client", {}).get("name", ""),
        "booking_code": booking.get("code", ""),
        "line": line,
        "session_when": when,
        "staff": booking.get("staff", ""),
        "amount": money(receipt.amount, receipt.currency),
        # The service's line before a discount, so that the lines add up to the amount paid.
        "line_amount": money(receipt.amount + Decimal(discount["amount"]), receipt.currency)
        if discount
        else money(receipt.amount, receipt.currency),
        "net": money(receipt.net_amount, receipt.currency),
        "vat": money(receipt.vat_amount, receipt.currency),
        "vat_rate": percent(receipt.vat_rate),
        "has_vat": bool(receipt.vat_rate),
        "discount": {"label": discount["label"], "amount": money(discount["amount"], receipt.currency)}
        if discount
        else None,
        "method": _method(payment, credit_note=receipt.is_credit_note),
        "reference": payment.get("reference", ""),
        "credits": shown.get("credits"),
        "reason": RefundReason(refund["reason"]).label if refund.get("reason") in RefundReason.values else "",
    }


def split_number(text: str) -> tuple[str, int] | None:
    """ "R-000012" as ("R", 12); None for anything that is not a receipt number."""
    series, _dash, digits = text.partition("-")
    if series not in ReceiptSeries.values or not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        return None
    return series, int(digits)


def filename(receipt: Receipt) -> str:
    return f"{receipt.display_number}.pdf"


def render_receipt(receipt: Receipt) -> "Document":
    """The laid-out document (pages and boxes), before it becomes PDF bytes."""
    import weasyprint  # heavy: loaded by the processes that print, not by every one

    html = render_to_string("receipts/pdf/receipt.html", receipt_context(receipt))
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def receipt_pdf(receipt: Receipt) -> bytes:
    return render_receipt(receipt).write_pdf()


def pdf_response(receipt: Receipt) -> HttpResponse:
    """The PDF as a download, in the active language."""
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(receipt)}"'
    return response
