"""The points report as CSV or Excel, streamed: memory stays flat for a million entries.

Rows come from ``.values_list(...).iterator(chunk_size=2000)`` (a server-side cursor on
PostgreSQL), never model instances. CSV is yielded in blocks for a StreamingHttpResponse;
Excel uses openpyxl's write-only mode, which keeps rows in a temporary file, not in memory.
Text a client or owner typed is defused so a spreadsheet never runs it as a formula.
"""

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings_app.display.spreadsheets import CSV_BLOCK_ROWS, csv_blocks, defused
from bookings_app.models import Business

from .entry_wording import describe
from .errors import ExportTooLarge
from .models import EntryKind, LedgerEntry

CHUNK_SIZE = 2000
XLSX_MAX_ROWS = 1_048_575  # one sheet's rows, less the header
COLUMNS = (
    "created_at",
    "client__first_name",
    "client__last_name",
    "client__email",
    "kind",
    "points",
    "balance_after",
    "description",
    "service__name",
    "booking__code",
    "gift_card__code",
    "created_by__email",
    "reason",
)


def headers() -> list[str]:
    return [
        _("Date"),
        _("Client"),
        _("E-mail"),
        _("Kind"),
        _("Points"),
        _("Balance after"),
        _("Description"),
        _("Service"),
        _("Booking"),
        _("Gift card"),
        _("Made by"),
    ]


Progress = Callable[[int], None] | None


def export_rows(entries: QuerySet[LedgerEntry], progress: Progress = None) -> Iterator[list]:
    """One list per entry, in the queryset's order, read from the database in chunks.

    Gift card codes are cut to their last four characters: an export must not carry money.
    ``progress(rows_so_far)`` is called every CSV_BLOCK_ROWS rows (a worker's progress bar).
    """
    tz = Business.current().tz
    kinds = {value: str(label) for value, label in EntryKind.choices}
    rows = 0
    for (
        created_at,
        first_name,
        last_name,
        email,
        kind,
        points,
        balance_after,
        description,
        service,
        booking,
        gift_card,
        made_by,
        reason,
    ) in entries.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        rows += 1
        if progress and rows % CSV_BLOCK_ROWS == 0:
            progress(rows)
        yield [
            timezone.localtime(created_at, tz).strftime("%Y-%m-%d %H:%M"),
            f"{first_name} {last_name}".strip(),
            email,
            kinds.get(kind, kind),
            points,
            balance_after,
            _worded(description, reason, service, tz),
            service or "",
            booking or "",
            f"…{gift_card[-4:]}" if gift_card else "",
            made_by or "",
        ]


def _worded(description: str, reason: dict, service: str | None, tz) -> str:
    """The entry's description in the exporter's language (see entry_wording)."""
    return describe(
        SimpleNamespace(reason=reason, description=description), service_name=service or "", tz=tz
    )


def csv_chunks(entries: QuerySet[LedgerEntry], progress: Progress = None) -> Iterator[str]:
    """The CSV text in blocks of rows, with a byte-order mark so Excel reads UTF-8."""
    yield from csv_blocks(headers(), export_rows(entries, progress))


def write_xlsx(entries: QuerySet[LedgerEntry], target: str | IO[bytes], progress: Progress = None) -> int:
    """Write the entries as an .xlsx workbook to ``target`` (a path or a binary file); returns the rows.

    Raises ExportTooLarge past one sheet's rows (about a million).
    """
    from openpyxl import Workbook  # only the export needs it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Points")[:31])
    sheet.append(headers())
    rows = 0
    for row in export_rows(entries, progress):
        rows += 1
        if rows > XLSX_MAX_ROWS:
            raise ExportTooLarge()
        sheet.append(defused(row))
    workbook.save(target)
    return rows
