"""A ledger entry in the reader's words.

An entry stores what happened (``reason``: a kind and references, no language); the sentence
is made when it is shown, in the active language and time zone, so the owner's English report
and the client's Hebrew history word the same entry each in their own way. Entries written
before ``reason`` existed show the text they were stored with.
"""

from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARNED, CANCELLED, GIFT_CARD = "booking_earned", "booking_cancelled", "gift_card"
PAID_ONLINE, PAYMENT_REFUNDED = "paid_online", "payment_refunded"


def booking_reason(kind: str, booking, **facts) -> dict:
    """``kind`` (EARNED, CANCELLED) for ``booking``: its service and session start, plus ``facts``."""
    return {
        "kind": kind,
        "service_id": booking.service_id,
        "session_start": booking.session.start.isoformat(),
        **facts,
    }


def gift_card_reason(product) -> dict:
    """Points spent on a card of ``product`` (its name is the owner's own text, in no one language)."""
    return {"kind": GIFT_CARD, "product_id": product.pk, "product": product.name}


def payment_reason(kind: str, payment, *, amount, **facts) -> dict:
    """``kind`` (PAID_ONLINE, PAYMENT_REFUNDED) for an online payment of ``amount``."""
    return {
        "kind": kind,
        "payment_id": payment.pk,
        "amount": str(amount),
        "currency": payment.currency,
        **facts,
    }


def describe(entry, *, service_name: str | None = None, tz: tzinfo | None = None) -> str:
    """The entry's description in the active language and ``tz`` (default: the active time zone).

    ``service_name`` saves reading ``entry.service``."""
    reason = entry.reason or {}
    kind = reason.get("kind")
    if kind in (EARNED, CANCELLED):
        name = service_name if service_name is not None else (entry.service.name if entry.service_id else "")
        values = {"service": name, "date": _day(reason.get("session_start", ""), tz)}
        if kind == EARNED:
            return _("%(service)s on %(date)s") % values
        text = _("Booking cancelled: %(service)s on %(date)s") % values
        earned, taken = reason.get("earned", 0), reason.get("taken", 0)
        if taken < earned:
            text += " — " + _(
                "only %(taken)d of %(earned)d points could be taken back; the rest were already spent."
            ) % {"taken": taken, "earned": earned}
        return text
    if kind == GIFT_CARD:
        return _("Gift card: %(name)s") % {"name": reason.get("product", "")}
    if kind in (PAID_ONLINE, PAYMENT_REFUNDED):
        money = {"amount": reason.get("amount", ""), "currency": reason.get("currency", "")}
        if kind == PAID_ONLINE:
            return _("Paid online: %(amount)s %(currency)s") % money
        text = _("Refunded: %(amount)s %(currency)s") % money
        earned, taken = reason.get("earned", 0), reason.get("taken", 0)
        if taken < earned:
            text += " — " + _(
                "only %(taken)d of %(earned)d points could be taken back; the rest were already spent."
            ) % {"taken": taken, "earned": earned}
        return text
    return entry.description


def _day(iso: str, tz: tzinfo | None) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    return date_format(timezone.localtime(moment, tz), "DATE_FORMAT")
