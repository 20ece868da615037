"""Dashboard → Plans → Report: packs active now; sold, given, credits sold and used and revenue
over a date range; its CSV; a constant number of queries; bad filters answered with a reason."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Business, ClientPlan
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.plans import give_plan, save_plan, use_credit
from tests import factories as f

REPORT = "/dashboard/plans/report/"
EXPORT = "/dashboard/plans/report.csv"


def a_plan(studio, name: str, price: str = "150.00"):
    return save_plan(
        services=[studio["yoga"]],
        name=name,
        description="",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal(price),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )


def book_with(pack, session):
    details = ClientDetails(email=pack.client.email, first_name=pack.client.first_name)
    return book_and_pay(
        book=lambda: book_class_seat(session=session, details=details),
        pay=lambda bookings: use_credit(client_plan_id=pack.pk, bookings=bookings),
    )


@pytest.fixture
def sales(studio, ten_classes, yoga_sessions):
    """Two sold (one at a lower price), one given, one bought 60 days ago; three credits used,
    one of them given back."""
    alice, bob, carol, dan = (f.client(name) for name in ("Alice", "Bob", "Carol", "Dan"))
    alices = give_plan(plan=ten_classes, client=alice)
    give_plan(plan=ten_classes, client=bob, price_paid=Decimal("120.00"))
    give_plan(plan=ten_classes, client=carol, source="given")
    old = give_plan(plan=ten_classes, client=dan, now=timezone.now() - timedelta(days=60))
    ClientPlan.objects.filter(pk=old.pk).update(valid_until=timezone.now() - timedelta(days=1))
    book_with(alices, yoga_sessions[0])
    book_with(alices, yoga_sessions[1])
    cancel_booking(booking=book_with(alices, yoga_sessions[2]), by_client=True)
    return ten_classes


def test_it_counts_each_plan_over_the_dates(client, olivia, sales):
    client.force_login(olivia)
    page = client.get(REPORT).content.decode()
    row = page.split("10 classes</bdi></a>", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells[:5] == ["3", "2", "1", "30", "2"]
    assert "270.00 EUR" in cells[5]


def test_an_older_period_holds_the_older_sale(client, olivia, sales):
    client.force_login(olivia)
    old = ClientPlan.objects.get(client__first_name="Dan")
    day = timezone.localdate(old.created_at, timezone=Business.current().tz)
    response = client.get(REPORT, {"date_from": day.isoformat(), "date_to": day.isoformat()})
    row = response.content.decode().split("10 classes</bdi></a>", 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td><td>0</td>" in row and "150.00 EUR" in row  # sold 1, given 0


def test_the_csv_has_one_line_per_plan_and_defuses_formulas(client, olivia, sales, studio):
    a_plan(studio, "=HYPERLINK(1)")
    client.force_login(olivia)
    response = client.get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Plan", "Kind", "Archived", "Active packs"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["'=HYPERLINK(1)"][3:8] == ["0", "0", "0", "0", "0"]
    expected = ["10 classes", "Class pack", "no", "3", "2", "1", "30", "2", "270.00", "EUR"]
    assert by_name["10 classes"] == expected


@pytest.mark.parametrize("rows", [1, 30])
def test_the_report_costs_the_same_queries_for_1_and_30_plans(
    client, olivia, studio, rows, django_assert_num_queries
):
    for number in range(rows):
        give_plan(plan=a_plan(studio, f"Pack {number}"), client=f.client(f"C{number}"))
    client.force_login(olivia)
    with django_assert_num_queries(6):
        response = client.get(REPORT, {"q": "pack"})
    assert len(re.findall(r'href="/dashboard/plans/\d+/"', response.content.decode())) == min(rows, 25)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-01"},
        {"date_from": "9999-01-01"},
        {"date_to": "yesterday"},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"date_from": "\x00"},
        {"q": "x" * 500},
    ],
)
def test_bad_filters_get_a_reason_never_a_500(client, olivia, sales, params):
    client.force_login(olivia)
    response = client.get(REPORT, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page or "NUL character" in page
    assert client.get(EXPORT, params).status_code == 400


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999"])
def test_odd_pages_show_a_page(client, olivia, sales, page):
    client.force_login(olivia)
    assert client.get(REPORT, {"page": page}).status_code == 200


def test_the_report_is_the_owners(client, sam, sales):
    client.force_login(sam)
    assert client.get(REPORT).status_code in (302, 403, 404)
    assert client.get(EXPORT).status_code in (302, 403, 404)
    assert reverse("dashboard:plan_report") == REPORT
