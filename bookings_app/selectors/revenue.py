"""Money taken over the last days, for the owner's home page: net revenue (charges less
refunds and the providers' fees, from the payments ledger) per day, per service and per
staff member, each currency on its own (docs/payments.md, "Revenue on the home page")."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from ..models import PaymentLedgerEntry
from ..models.payments import LedgerKind
from .schedule import local_midnight

REVENUE_DAYS = 30
ZERO = Decimal("0.00")


@dataclass
class RevenueShare:
    """What one service or staff member brought in: charges, refunds, the providers' fees and net."""

    name: str
    charges: Decimal = ZERO
    refunds: Decimal = ZERO
    fees: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.charges - self.refunds - self.fees


@dataclass
class CurrencyRevenue:
    """One currency's net revenue per day (oldest first, every day present) and its shares."""

    currency: str
    days: list[tuple[date, Decimal]]
    by_service: list[RevenueShare] = field(default_factory=list)
    by_staff: list[RevenueShare] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((net for _, net in self.days), ZERO)


def recent_revenue(*, tz: ZoneInfo, now: datetime, days: int = REVENUE_DAYS) -> list[CurrencyRevenue]:
    """The last ``days`` days up to today (in ``tz``), per currency by code; one query.

    An entry counts on the day it was taken or given back; a refund counts against the
    service and staff member of the booking it refunds. Shares are sorted by net, largest first.
    """
    today = timezone.localtime(now, tz).date()
    first = today - timedelta(days=days - 1)
    rows = (
        PaymentLedgerEntry.objects.filter(
            at__gte=local_midnight(first, tz), at__lt=local_midnight(today + timedelta(days=1), tz)
        )
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values_list(
            "currency",
            "day",
            "kind",
            "booking__service_id",
            "booking__service__name",
            "booking__session__staff_id",
            "booking__session__staff__name",
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    per_day: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    services: dict[str, dict[int, RevenueShare]] = defaultdict(dict)
    staff: dict[str, dict[int, RevenueShare]] = defaultdict(dict)
    for currency, day, kind, service_id, service, staff_id, staff_name, total in rows:
        signed = total if kind == LedgerKind.CHARGE else -total
        per_day[currency][day] += signed
        for shares, key, name in ((services, service_id, service), (staff, staff_id, staff_name)):
            if key is None and shares is staff:
                continue  # a sale that is not a booking (a gift card) has no staff member
            share = shares[currency].setdefault(key, RevenueShare(name or gettext("Other sales")))
            if kind == LedgerKind.CHARGE:
                share.charges += total
            elif kind == LedgerKind.FEE:
                share.fees += total
            else:
                share.refunds += total
    every_day = [first + timedelta(days=offset) for offset in range(days)]
    return [
        CurrencyRevenue(
            currency=currency,
            days=[(day, per_day[currency][day]) for day in every_day],
            by_service=_largest_first(services[currency]),
            by_staff=_largest_first(staff[currency]),
        )
        for currency in sorted(per_day)
    ]


def _largest_first(shares: dict[int, RevenueShare]) -> list[RevenueShare]:
    return sorted(shares.values(), key=lambda share: (-share.net, share.name))
