"""The owner's payments list: every charge and refund of the ledger, filtered, totalled per
currency, exported; bad filters answered with a message, never a 500."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from bookings_app.models import Payment, PaymentLedgerEntry
from bookings_app.services import payments
from tests import factories
from tests.support.payments import deliver, hold_seat

pytestmark = pytest.mark.django_db

LIST = "/dashboard/payments/"
CSV = "/dashboard/payments/export/csv/"
XLSX = "/dashboard/payments/export/xlsx/"
# session, user, groups, business, count, page, totals, service choices
LIST_QUERIES = 8


@pytest.fixture
def big_class(yoga, nina):
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return factories.session(yoga, nina, start, capacity=40)


def _paid(session, number: int, *, currency: str = "") -> Payment:
    _, payment = hold_seat(session, number)
    if currency:
        Payment.objects.filter(pk=payment.pk).update(currency=currency)
        payment.refresh_from_db()
    deliver(payment)
    payment.refresh_from_db()
    return payment


def _refunded(payment: Payment, amount: str) -> None:
    refund = payments.request_refund(payment=payment, amount=Decimal(amount))
    payments.send_refund(refund_id=refund.pk)


@pytest.fixture
def ledger(big_class):
    """Client 1 paid 20 EUR and got 7.50 back; client 2 paid 20 EUR; client 3 paid 20 USD."""
    first = _paid(big_class, 1)
    _refunded(first, "7.50")
    _paid(big_class, 2)
    _paid(big_class, 3, currency="USD")
    return first


def _rows(response) -> list[str]:
    return [entry.kind + ":" + entry.booking.client.first_name for entry in response.context["page"]]


def test_it_lists_every_charge_and_refund_newest_first(client, olivia, ledger):
    client.force_login(olivia)
    response = client.get(LIST)
    assert response.status_code == 200
    assert _rows(response) == ["charge:Client 3", "charge:Client 2", "refund:Client 1", "charge:Client 1"]
    page = response.content.decode()
    assert f'href="/dashboard/bookings/{ledger.booking_id}/"' in page
    assert "−7.50 EUR" in page


def test_it_totals_charges_refunds_and_net_per_currency(client, olivia, ledger):
    client.force_login(olivia)
    totals = client.get(LIST).context["totals"]
    assert [(t.currency, t.charges, t.refunds, t.net) for t in totals] == [
        ("EUR", Decimal("40.00"), Decimal("7.50"), Decimal("32.50")),
        ("USD", Decimal("20.00"), Decimal("0"), Decimal("20.00")),
    ]


def test_the_totals_follow_the_filters(client, olivia, ledger):
    client.force_login(olivia)
    totals = client.get(LIST, {"kind": "refund"}).context["totals"]
    assert [(t.currency, t.charges, t.refunds, t.net) for t in totals] == [
        ("EUR", Decimal("0"), Decimal("7.50"), Decimal("-7.50"))
    ]


def test_it_filters_by_kind_status_provider_and_service(client, olivia, ledger, massage):
    client.force_login(olivia)
    assert _rows(client.get(LIST, {"kind": "refund"})) == ["refund:Client 1"]
    assert _rows(client.get(LIST, {"status": "partly_refunded"})) == ["refund:Client 1", "charge:Client 1"]
    assert _rows(client.get(LIST, {"provider": "stripe"})) == []
    assert len(_rows(client.get(LIST, {"provider": "test"}))) == 4
    assert _rows(client.get(LIST, {"service": massage.pk})) == []


def test_it_filters_by_the_day_of_the_entry_in_the_business_time_zone(client, olivia, ledger):
    client.force_login(olivia)
    today = timezone.localtime(timezone.now(), factories.business().tz).date()
    assert len(_rows(client.get(LIST, {"date_from": today, "date_to": today}))) == 4
    tomorrow = today + timedelta(days=1)
    assert _rows(client.get(LIST, {"date_from": tomorrow})) == []
    assert _rows(client.get(LIST, {"date_to": today - timedelta(days=1)})) == []


def test_it_finds_a_client_by_name_e_mail_or_booking_reference(client, olivia, ledger):
    client.force_login(olivia)
    assert _rows(client.get(LIST, {"q": "client2@race"})) == ["charge:Client 2"]
    assert _rows(client.get(LIST, {"q": "Client 3"})) == ["charge:Client 3"]
    code = ledger.booking.code
    assert _rows(client.get(LIST, {"q": code.lower()})) == ["refund:Client 1", "charge:Client 1"]


@pytest.mark.parametrize(
    "bad",
    [
        {"date_from": "2026-02-30"},
        {"date_to": "9999-12-31"},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"kind": "gift"},
        {"status": "pending"},
        {"service": "9" * 30},
        {"service": "abc"},
        {"provider": "paypal"},
        {"page": "-1"},
    ],
)
def test_a_bad_filter_gets_a_message_and_narrows_nothing(client, olivia, ledger, bad):
    client.force_login(olivia)
    response = client.get(LIST, bad)
    assert response.status_code in (200, 400)
    assert len(_rows(response)) == 4
    if response.status_code == 400:
        assert "were left out" in response.content.decode()
        assert response.context["filters"].errors


def test_only_the_owner_sees_the_list(client, sam, ledger):
    client.force_login(sam)
    assert client.get(LIST).status_code in (302, 403)
    assert client.get(CSV).status_code in (302, 403)


def test_the_sidebar_links_to_the_list_and_marks_it_current(client, olivia, ledger):
    client.force_login(olivia)
    page = client.get(LIST).content.decode()
    assert re.search(r'<a href="/dashboard/payments/"\s+aria-current="page">Payments</a>', page)
    assert 'href="/dashboard/payments/"' in client.get("/dashboard/bookings/").content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_costs_the_same_queries_for_1_and_30_entries(
    client, olivia, big_class, rows, django_assert_num_queries
):
    for number in range(rows):
        _paid(big_class, number)
    client.force_login(olivia)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST, {"q": "client", "kind": "charge"})
    assert len(response.context["page"].object_list) == min(rows, 25)


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_holds_the_filtered_set_with_refunds_negative(client, olivia, ledger):
    client.force_login(olivia)
    response = client.get(CSV, {"q": "Client 1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="payments-')
    rows = _csv(response)
    assert rows[0][:3] == ["Date", "Client", "E-mail"]
    assert [(row[5], row[6], row[7]) for row in rows[1:]] == [
        ("Refund", "-7.50", "EUR"),
        ("Charge", "20.00", "EUR"),
    ]
    assert rows[1][4] == ledger.booking.code


def test_the_export_defuses_a_name_that_looks_like_a_formula(client, olivia, ledger):
    ledger.booking.client.__class__.objects.filter(pk=ledger.booking.client_id).update(
        first_name="=HYPERLINK(1)"
    )
    client.force_login(olivia)
    rows = _csv(client.get(CSV, {"kind": "charge", "q": ledger.booking.code}))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_excel_export_holds_numbers_a_spreadsheet_can_sum(client, olivia, ledger):
    client.force_login(olivia)
    response = client.get(XLSX, {"kind": "charge"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    amounts = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(amounts) == [20, 20, 20]


def test_an_export_with_bad_filters_is_refused_with_a_reason(client, olivia, ledger):
    client.force_login(olivia)
    response = client.get(CSV, {"date_from": "2026-02-30"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert client.get("/dashboard/payments/export/pdf/").status_code == 404


def test_the_list_reads_the_ledger_and_changes_nothing(client, olivia, ledger):
    before = PaymentLedgerEntry.objects.count()
    client.force_login(olivia)
    client.get(LIST)
    client.get(CSV)
    assert PaymentLedgerEntry.objects.count() == before == 4
