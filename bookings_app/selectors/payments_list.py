"""The owner's payments list: every ledger entry (charges, refunds, fees) a set of filters asks
for, and what they add up to per currency (docs/payments.md, "The payments list")."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum

from ..models import PaymentLedgerEntry
from ..models.payments import LedgerKind
from .client_search import client_matches, search_words

ZERO = Decimal("0.00")
EMPTY_TOTALS = {
    "charges": ZERO,
    "refunds": ZERO,
    "fees": ZERO,
    "charge_count": 0,
    "refund_count": 0,
    "fee_count": 0,
}


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def ledger_for_list(wanted: dict, *, tz: ZoneInfo) -> QuerySet[PaymentLedgerEntry]:
    """The ledger entries ``wanted`` asks for, newest first, with what a row shows joined in.

    ``wanted`` holds the valid filters (missing ones do not narrow): ``date_from`` and
    ``date_to`` (days in ``tz``, both included, on the entry's date), ``status`` (of the
    entry's payment), ``kind`` (charge or refund), ``service``, ``provider`` and ``q``: every
    word matches the client (the client search's rule) or is the booking's reference.
    """
    entries = PaymentLedgerEntry.objects.select_related("booking__client", "booking__service", "payment")
    if wanted.get("date_from"):
        entries = entries.filter(at__gte=_local_midnight(wanted["date_from"], tz))
    if wanted.get("date_to"):
        entries = entries.filter(at__lt=_local_midnight(wanted["date_to"] + timedelta(days=1), tz))
    if wanted.get("status"):
        entries = entries.filter(payment__status=wanted["status"])
    if wanted.get("kind"):
        entries = entries.filter(kind=wanted["kind"])
    if wanted.get("service"):
        entries = entries.filter(booking__service=wanted["service"])
    if wanted.get("provider"):
        entries = entries.filter(provider=wanted["provider"])
    for word in search_words(wanted.get("q") or ""):
        entries = entries.filter(
            client_matches(word, through="booking__client__") | Q(booking__code__iexact=word)
        )
    return entries.order_by("-at", "-pk")


@dataclass
class CurrencyTotals:
    """What the listed entries of one currency add up to: taken, given back, the providers'
    fees, and kept."""

    currency: str
    charges: Decimal = ZERO
    refunds: Decimal = ZERO
    charge_count: int = 0
    refund_count: int = 0
    fees: Decimal = ZERO
    fee_count: int = 0
    net: Decimal = field(init=False, default=ZERO)

    def __post_init__(self) -> None:
        self.net = self.charges - self.refunds - self.fees


def ledger_totals(entries: QuerySet[PaymentLedgerEntry]) -> list[CurrencyTotals]:
    """Charges, refunds, fees and net of ``entries`` per currency, by currency code; one query."""
    sums: dict[str, dict] = {}
    rows = (
        entries.order_by()
        .values("currency", "kind")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .values_list("currency", "kind", "total", "count")
    )
    for currency, kind, total, count in rows:
        found = sums.setdefault(
            currency,
            {
                "charges": ZERO,
                "refunds": ZERO,
                "fees": ZERO,
                "charge_count": 0,
                "refund_count": 0,
                "fee_count": 0,
            },
        )
        if kind == LedgerKind.CHARGE:
            found["charges"], found["charge_count"] = total, count
        elif kind == LedgerKind.FEE:
            found["fees"], found["fee_count"] = total, count
        else:
            found["refunds"], found["refund_count"] = total, count
    return [CurrencyTotals(currency, **sums[currency]) for currency in sorted(sums)]
