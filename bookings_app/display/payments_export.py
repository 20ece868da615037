"""The payments list as CSV or Excel, the filtered set the owner sees (docs/payments.md).

Built as the loyalty points report's exports are (``loyalty/exports.py``): rows read with
``values_list(...).iterator()`` (never model instances), CSV streamed in blocks with a
byte-order mark so Excel reads UTF-8, Excel written by openpyxl's write-only mode, and text
defused so a spreadsheet never runs a client's name as a formula. The owner downloads the file
at once: a business's payments are far fewer than its points entries, and Excel stops at
``XLSX_MAX_ROWS`` with a message to narrow the filters.
"""

from collections.abc import Iterator
from typing import IO
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PaymentLedgerEntry
from ..models.payments import LedgerKind, PaymentStatus
from ..plug_ins.payment_purposes import purpose_label
from .spreadsheets import csv_blocks, defused

CHUNK_SIZE = 2000
XLSX_MAX_ROWS = 100_000
COLUMNS = (
    "at",
    "booking__client__first_name",
    "booking__client__last_name",
    "booking__client__email",
    "booking__service__name",
    "booking__code",
    "kind",
    "amount",
    "currency",
    "provider",
    "payment__status",
    "provider_reference",
    "payment__purpose",
)


class ExportTooLarge(Exception):
    pass


def headers() -> list[str]:
    return [
        _("Date"),
        _("Client"),
        _("E-mail"),
        _("Service"),
        _("Booking"),
        _("Kind"),
        _("Amount"),
        _("Currency"),
        _("Provider"),
        _("Payment status"),
        _("Provider reference"),
    ]


def export_rows(entries: QuerySet[PaymentLedgerEntry], *, tz: ZoneInfo) -> Iterator[list]:
    """One list per entry, in the queryset's order; a refund's and a fee's amount is negative,
    so a column's sum is the net."""
    kinds = {value: str(label) for value, label in LedgerKind.choices}
    statuses = {value: str(label) for value, label in PaymentStatus.choices}
    for row in entries.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        (
            at,
            first,
            last,
            email,
            service,
            code,
            kind,
            amount,
            currency,
            provider,
            status,
            reference,
            purpose,
        ) = row
        yield [
            timezone.localtime(at, tz).strftime("%Y-%m-%d %H:%M"),
            f"{first or ''} {last or ''}".strip(),
            email or "",
            service if code else purpose_label(purpose),
            code or "",
            kinds.get(kind, kind),
            amount if kind == LedgerKind.CHARGE else -amount,
            currency,
            provider,
            statuses.get(status, status),
            reference,
        ]


def csv_chunks(entries: QuerySet[PaymentLedgerEntry], *, tz: ZoneInfo) -> Iterator[str]:
    yield from csv_blocks(headers(), export_rows(entries, tz=tz))


def write_xlsx(entries: QuerySet[PaymentLedgerEntry], target: IO[bytes], *, tz: ZoneInfo) -> int:
    """The entries as an .xlsx workbook into ``target``; the rows written. Raises ExportTooLarge."""
    from openpyxl import Workbook  # only the export needs it

    if entries.count() > XLSX_MAX_ROWS:
        raise ExportTooLarge()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Payments")[:31])
    sheet.append(headers())
    rows = 0
    for row in export_rows(entries, tz=tz):
        rows += 1
        sheet.append(defused(row))
    workbook.save(target)
    return rows
