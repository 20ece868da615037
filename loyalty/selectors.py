"""Read-side loyalty queries shared by the dashboard, the client pages and the exports."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Sum

from bookings_app.models import Booking, Business, Client

from .models import Balance, GiftCard, GiftCardRedemption, LedgerEntry

REPORT_PAGE_SIZE = 50


@dataclass(frozen=True)
class PointsReportFilters:
    """What the owner narrowed the report to; days are inclusive, in the business's time zone."""

    date_from: date | None = None
    date_to: date | None = None
    client_id: int | None = None
    kind: str = ""
    service_id: int | None = None


def points_report(filters: PointsReportFilters) -> QuerySet[LedgerEntry]:
    """Ledger entries matching ``filters``, newest first, with what a row shows joined in.

    Each filter has an index that starts with it and ends with (created_at, id) descending
    (``loyalty_entry_*_idx``), so a page is read from the top of an index, not sorted.
    """
    entries = LedgerEntry.objects.all()
    tz = Business.current().tz
    if filters.date_from:
        entries = entries.filter(created_at__gte=_midnight(filters.date_from, tz))
    if filters.date_to:
        entries = entries.filter(created_at__lt=_midnight(filters.date_to + timedelta(days=1), tz))
    if filters.client_id:
        entries = entries.filter(client_id=filters.client_id)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.service_id:
        entries = entries.filter(service_id=filters.service_id)
    return entries.select_related("client", "service", "booking", "gift_card", "created_by").order_by(
        "-created_at", "-id"
    )


def points_report_page(filters: PointsReportFilters, *, page_number: int | str = 1) -> Page:
    """One page of ``points_report`` (out-of-range numbers give the last page)."""
    return Paginator(points_report(filters), REPORT_PAGE_SIZE).get_page(page_number)


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def balance_of(client: Client) -> int:
    """The client's points now (zero before their first entry)."""
    return Balance.objects.filter(client=client).values_list("points", flat=True).first() or 0


def client_history(client: Client) -> QuerySet[LedgerEntry]:
    """The client's entries, newest first: what "My points" and the history dialog list."""
    return points_report(PointsReportFilters(client_id=client.pk))


def gift_cards_of(client: Client) -> QuerySet[GiftCard]:
    """"Your gift cards": the cards the client bought or received, newest first."""
    return GiftCard.objects.filter(owner=client).select_related("product").order_by("-created_at", "-id")


def gift_card_paid(booking: Booking) -> Decimal:
    """What gift cards pay for ``booking`` now (refunded payments left out)."""
    total = GiftCardRedemption.objects.filter(booking=booking, refunded_at__isnull=True).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0.00")
