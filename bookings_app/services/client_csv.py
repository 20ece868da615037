"""Clients in and out of CSV files: reading an upload into checked rows, writing the export.

Reading never touches the database: it decodes the file (UTF-8, with or without a BOM),
checks the header, and turns each line into a ``ClientRow`` or a ``Rejection`` with its line
number. Matching rows to existing clients is the import service's job.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import tzinfo

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..models import Client

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
EXPORT_COLUMNS = ["first_name", "last_name", "email", "phone", "language", "labels", "notes", "created_at"]
IMPORT_COLUMNS = {"email", "first_name", "last_name", "phone", "labels", "notes"}
REQUIRED_COLUMNS = ("email", "first_name")
LABEL_SEPARATOR = ";"
# Header spellings people type, mapped to the column they mean.
HEADER_ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "firstname": "first_name",
    "lastname": "last_name",
    "phone_number": "phone",
    "label": "labels",
    "note": "notes",
}
FIELD_LENGTHS = {"first_name": 80, "last_name": 80, "phone": 32}
LABEL_LENGTH = 60
# A spreadsheet runs a cell that starts like a formula; a phone number such as +33 6 12 is not one.
_FORMULA_START = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s().\-]*$)")


class CsvRefused(Exception):
    """The whole file cannot be read; ``message`` tells the owner why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ClientRow:
    """One valid line of an import file; e-mail already lower-cased."""

    line: int
    email: str
    first_name: str
    last_name: str = ""
    phone: str = ""
    labels: tuple[str, ...] = ()
    notes: str = ""

    def as_dict(self) -> dict:
        return {**asdict(self), "labels": list(self.labels)}

    @classmethod
    def from_dict(cls, stored: dict) -> "ClientRow":
        return cls(**{**stored, "labels": tuple(stored.get("labels", ()))})


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass
class ParsedFile:
    rows: list[ClientRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def parse_client_file(upload: UploadedFile) -> ParsedFile:
    """Read an uploaded CSV of clients. Raises CsvRefused for a file that is not a usable CSV."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise CsvRefused(_("The file is larger than 5 MB. Split it into smaller files."))
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise CsvRefused(_("The file is larger than 5 MB. Split it into smaller files."))
    return parse_client_text(_decode(raw))


def parse_client_text(text: str) -> ParsedFile:
    """The rows and rejections of CSV ``text`` (the header row first)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        columns = _columns(next(reader, []))
        parsed, seen = ParsedFile(), set()
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(parsed.rows) + len(parsed.rejections) >= MAX_ROWS:
                raise CsvRefused(_("The file has more than 20,000 rows. Split it into smaller files."))
            _read_row(dict(zip(columns, cells, strict=False)), reader.line_num, parsed, seen)
    except csv.Error as e:
        raise CsvRefused(_("This file could not be read as CSV (%(error)s).") % {"error": e}) from e
    return parsed


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise CsvRefused(_("This is not a CSV file. Export your clients as CSV (UTF-8) and try again."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CsvRefused(_("This file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from e


def _delimiter(text: str) -> str:
    """The separator the header row uses most: spreadsheets write commas, semicolons or tabs."""
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count)


def _columns(header: list[str]) -> list[str]:
    columns = []
    for cell in header:
        name = re.sub(r"[\s\-]+", "_", cell.strip().lower())
        columns.append(HEADER_ALIASES.get(name, name))
    if not all(required in columns for required in REQUIRED_COLUMNS):
        raise CsvRefused(_("The first row must name the columns, with at least “email” and “first_name”."))
    return columns


def _read_row(cells: dict[str, str], line: int, parsed: ParsedFile, seen: set[str]) -> None:
    values = {column: (cells.get(column) or "").strip() for column in IMPORT_COLUMNS}
    email = values["email"].lower()
    reason = _problem(values, email, seen)
    if reason:
        parsed.rejections.append(Rejection(line=line, reason=reason))
        return
    seen.add(email)
    names = (name.strip() for name in values["labels"].split(LABEL_SEPARATOR))
    labels = tuple(dict.fromkeys(name for name in names if name))
    parsed.rows.append(
        ClientRow(
            line=line,
            email=email,
            first_name=values["first_name"],
            last_name=values["last_name"],
            phone=values["phone"],
            labels=labels,
            notes=values["notes"],
        )
    )


def _problem(values: dict[str, str], email: str, seen: set[str]) -> str:
    """Why this line cannot be imported, or an empty string."""
    try:
        validate_email(email)
    except ValidationError:
        if not email:
            return _("no e-mail address")
        return _("invalid e-mail address “%(email)s”") % {"email": values["email"]}
    if not values["first_name"]:
        return _("missing first name")
    if email in seen:
        return _("duplicate e-mail address %(email)s in the file") % {"email": email}
    for column, length in FIELD_LENGTHS.items():
        if len(values[column]) > length:
            return _("%(column)s is longer than %(length)s characters") % {"column": column, "length": length}
    if any(len(name.strip()) > LABEL_LENGTH for name in values["labels"].split(LABEL_SEPARATOR)):
        return _("a label is longer than %(length)s characters") % {"length": LABEL_LENGTH}
    return ""


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, line: str) -> str:
        return line


def client_csv_lines(clients: Iterable[Client], *, tz: tzinfo) -> Iterator[str]:
    """The export, line by line: a BOM (so spreadsheets read UTF-8), the header, one line per client.

    ``clients`` should come with their labels prefetched; ``created_at`` is written in ``tz``.
    """
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for client in clients:
        labels = LABEL_SEPARATOR.join(label.name for label in client.labels.all())
        created = client.created_at.astimezone(tz).isoformat(timespec="seconds")
        yield writer.writerow(
            [
                _cell(value)
                for value in (
                    client.first_name,
                    client.last_name,
                    client.email,
                    client.phone,
                    client.language,
                    labels,
                    client.notes,
                    created,
                )
            ]
        )


def _cell(value: str) -> str:
    return f"'{value}" if _FORMULA_START.match(value) else value
