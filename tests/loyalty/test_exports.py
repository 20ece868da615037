"""The points report exported: CSV and Excel files that open and hold exactly the filtered rows."""

import csv
import io

import pytest
from openpyxl import load_workbook

from loyalty.exports import csv_chunks, write_xlsx
from loyalty.models import EntryKind
from loyalty.selectors import PointsReportFilters, points_report
from loyalty.services import adjust_points, buy_gift_card_with_points

HEADER = [
    "Date",
    "Client",
    "E-mail",
    "Kind",
    "Points",
    "Balance after",
    "Description",
    "Service",
    "Booking",
    "Gift card",
    "Made by",
]


@pytest.fixture
def ledger(program, alice, bob, olivia, voucher):
    adjust_points(client=alice, points=120, description="Welcome bonus", by=olivia)
    adjust_points(client=bob, points=3, description='=HYPERLINK("http://evil.test")', by=olivia)
    return buy_gift_card_with_points(client=alice, product=voucher)


def read_csv(filters: PointsReportFilters) -> list[list[str]]:
    text = "".join(csv_chunks(points_report(filters)))
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_it_writes_a_csv_of_the_filtered_rows_newest_first(ledger, alice):
    rows = read_csv(PointsReportFilters(client_id=alice.pk))

    assert rows[0] == HEADER
    assert [(row[1], row[3], row[4], row[5], row[6]) for row in rows[1:]] == [
        ("Alice Martin", "Spent on a gift card", "-100", "20", "Gift card: Voucher 25"),
        ("Alice Martin", "Changed by hand", "120", "120", "Welcome bonus"),
    ]
    assert rows[2][10] == "olivia@studio.test"


def test_it_never_exports_a_whole_gift_card_code(ledger):
    rows = read_csv(PointsReportFilters(kind=EntryKind.REDEEMED))

    assert rows[1][9] == f"…{ledger.code[-4:]}"
    assert ledger.code not in "".join(",".join(row) for row in rows)


def test_it_defuses_text_that_looks_like_a_formula(ledger, bob):
    [row] = read_csv(PointsReportFilters(client_id=bob.pk))[1:]

    assert row[6] == '\'=HYPERLINK("http://evil.test")'
    assert row[4] == "3"


def test_it_writes_an_excel_file_that_opens_with_the_filtered_rows(ledger, bob):
    target = io.BytesIO()

    written = write_xlsx(points_report(PointsReportFilters(client_id=bob.pk)), target)

    sheet = load_workbook(io.BytesIO(target.getvalue()), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert written == 1
    assert rows[0] == HEADER
    assert rows[1][1:7] == [
        "Bob",
        "bob@client.test",
        "Changed by hand",
        3,
        3,
        '\'=HYPERLINK("http://evil.test")',
    ]
