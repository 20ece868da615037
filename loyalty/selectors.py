"""Read-side loyalty queries shared by the dashboard, the client pages and the exports."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from bookings_app.models import Booking, Business, Client
from bookings_app.selectors import client_matches, search_words

from .codes import normalise_code
from .models import (
    Balance,
    GiftCard,
    GiftCardProduct,
    GiftCardRedemption,
    LedgerEntry,
    PointsExport,
    Program,
    ServicePoints,
)

REPORT_PAGE_SIZE = 50
# What a row of the points report shows (``describe`` reads ``reason`` and the service's name).
REPORT_ROW_FIELDS = (
    "created_at",
    "client_id",
    "points",
    "kind",
    "balance_after",
    "description",
    "reason",
    "service_id",
    "client__first_name",
    "client__last_name",
    "client__email",
    "service__name",
)


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
    tz = Business.current().tz if filters.date_from or filters.date_to else None
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


def points_report_page(
    filters: PointsReportFilters, *, page_number: int | str = 1, count: int | None = None
) -> Page:
    """One page of ``points_report`` (out-of-range numbers give the last page).

    ``count``: the number of matching entries when already known (``PointsTotals.entries``), so
    the paginator does not count the whole ledger a second time.

    Ids first, rows second: the page's ids come from the top of an index without a join, then
    only those entries are read with what a row shows. Asked for both at once, SQLite sometimes
    walked every client and sorted their entries (65 ms at 80,000 entries, growing with them);
    reading the other joins' rows whole cost a fifth of the page."""
    entries = points_report(filters)
    paginator = Paginator(entries.values_list("pk", flat=True), REPORT_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not asked of the database
    page = paginator.get_page(page_number)
    rows = (
        entries.select_related(None)
        .select_related("client", "service")
        .only(*REPORT_ROW_FIELDS)
        .in_bulk(list(page.object_list))
    )
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def balance_of(client: Client) -> int:
    """The client's points now (zero before their first entry)."""
    return Balance.objects.filter(client=client).values_list("points", flat=True).first() or 0


def with_points_balance(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Each client with ``points_balance`` (0 before their first entry), joined in the same query."""
    return clients.annotate(points_balance=Coalesce(F("loyalty_balance__points"), Value(0)))


def client_history(client: Client) -> QuerySet[LedgerEntry]:
    """The client's entries, newest first: what "My points" and the history dialog list."""
    return points_report(PointsReportFilters(client_id=client.pk))


def gift_cards_of(client: Client) -> QuerySet[GiftCard]:
    """ "Your gift cards": the cards the client bought or received, newest first."""
    return GiftCard.objects.filter(owner=client).select_related("product").order_by("-created_at", "-id")


def gift_card_paid(booking: Booking) -> Decimal:
    """What gift cards pay for ``booking`` now (refunded payments left out)."""
    total = GiftCardRedemption.objects.filter(booking=booking, refunded_at__isnull=True).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0.00")


@dataclass(frozen=True)
class PointsTotals:
    entries: int
    added: int
    deducted: int

    @property
    def net(self) -> int:
        return self.added - self.deducted


def points_report_totals(filters: PointsReportFilters) -> PointsTotals:
    """Entries, points added and points taken away (a positive number) over the filtered report.

    Over the whole ledger, or one client's, the balances' running totals answer (a row per
    client, kept beside each entry by ``post_entry``); narrowed by date, kind or service, the
    matching entries are counted."""
    if not (filters.date_from or filters.date_to or filters.kind or filters.service_id):
        return _totals_kept_by_balances(client_id=filters.client_id)
    sums = (
        points_report(filters)
        .order_by()
        .aggregate(
            entries=Count("pk"),
            added=Sum("points", filter=Q(points__gt=0)),
            deducted=Sum("points", filter=Q(points__lt=0)),
        )
    )
    return PointsTotals(entries=sums["entries"], added=sums["added"] or 0, deducted=-(sums["deducted"] or 0))


def _totals_kept_by_balances(*, client_id: int | None) -> PointsTotals:
    balances = Balance.objects.all() if client_id is None else Balance.objects.filter(client_id=client_id)
    sums = balances.aggregate(entries=Sum("entries"), added=Sum("added"), deducted=Sum("deducted"))
    return PointsTotals(
        entries=sums["entries"] or 0, added=sums["added"] or 0, deducted=sums["deducted"] or 0
    )


class GiftCardState:
    ACTIVE = "active"
    SPENT = "spent"
    EXPIRED = "expired"


def gift_cards_report(
    *, search: str = "", state: str = "", now: datetime | None = None
) -> QuerySet[GiftCard]:
    """Issued cards, newest first: searched by code or owner (the client search's rule), narrowed
    to active, spent or expired."""
    now = now or timezone.now()
    cards = GiftCard.objects.select_related(
        "product", "owner", "issued_by", "order__payment", "order__buyer"
    ).prefetch_related("order__payment__refunds")
    for word in search_words(search):
        code = normalise_code(word)
        by_owner = client_matches(word, through="owner__")
        cards = cards.filter(by_owner | Q(code__icontains=code) if code else by_owner)
    if state == GiftCardState.SPENT:
        cards = cards.filter(remaining_value=0)
    elif state == GiftCardState.EXPIRED:
        cards = cards.filter(remaining_value__gt=0, expires_at__lte=now)
    elif state == GiftCardState.ACTIVE:
        cards = cards.filter(remaining_value__gt=0, expires_at__gt=now)
    return cards.order_by("-created_at", "-id")


@dataclass(frozen=True)
class GiftCardTotals:
    issued: int
    issued_value: Decimal
    redeemed_value: Decimal
    outstanding_value: Decimal


def gift_card_totals(*, now: datetime | None = None) -> GiftCardTotals:
    """Every card issued and not refunded to its buyer: how many and for how much, what was
    spent, what can still be spent."""
    now = now or timezone.now()
    zero = Decimal("0.00")
    sums = GiftCard.objects.filter(voided_at__isnull=True).aggregate(
        issued=Count("pk"),
        issued_value=Sum("initial_value"),
        remaining=Sum("remaining_value"),
        outstanding=Sum("remaining_value", filter=Q(expires_at__gt=now)),
    )
    issued_value = sums["issued_value"] or zero
    return GiftCardTotals(
        issued=sums["issued"],
        issued_value=issued_value,
        redeemed_value=issued_value - (sums["remaining"] or zero),
        outstanding_value=sums["outstanding"] or zero,
    )


def program_on() -> bool:
    """Whether the owner has switched the loyalty program on (one query, creating nothing)."""
    return Program.objects.filter(pk=1, is_enabled=True).exists()


def products_for_list(search: str = "") -> QuerySet[GiftCardProduct]:
    """The gift cards on offer whose name holds ``search``, cheapest first."""
    return GiftCardProduct.objects.filter(name__icontains=search).order_by("value", "name", "pk")


def products_for_points() -> list[GiftCardProduct]:
    """The active gift cards a client may buy with points."""
    return list(GiftCardProduct.objects.filter(is_active=True, points_price__isnull=False))


def service_points_of(service) -> ServicePoints | None:
    """The points a booking of ``service`` earns, if it was ever connected to the program."""
    return ServicePoints.objects.filter(service=service).first()


def a_connected_service_name() -> str | None:
    """The name of a service whose bookings earn points (for sample wording), or None."""
    connected = ServicePoints.objects.filter(is_enabled=True).select_related("service").first()
    return connected.service.name if connected else None


def recent_exports(user, *, limit: int = 5) -> QuerySet[PointsExport]:
    """The points exports ``user`` asked for, newest first."""
    return PointsExport.objects.filter(requested_by=user)[:limit]
