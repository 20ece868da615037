"""The provider's fee on a charge: entered once as a ledger row of kind "fee" naming its charge,
shown on the booking's page, in the payments list, its totals and export, and in the revenue;
the ledger check reads it."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.display.payments_export import export_rows
from bookings_app.models import Business, PaymentLedgerEntry
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.selectors.payments_list import ledger_for_list, ledger_totals
from bookings_app.selectors.revenue import recent_revenue
from bookings_app.services.fees import record_missing_fees, record_payment_fee
from bookings_app.services.in_person import record_desk_payment
from tests import factories as f
from tests.support.payments import deliver, hold_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_fee(settings):
    settings.PAYMENT_TEST_FEE = "2.9%+0.30"


@pytest.fixture
def paid(massage):
    booking, payment = hold_appointment(massage, f.local(f.next_weekday(2), "10:00"))
    deliver(payment)  # 24.00 EUR, the 30 % deposit of 80.00
    payment.refresh_from_db()
    return booking, payment


def test_the_test_providers_fake_fee_is_entered_once(with_fee, paid):
    booking, payment = paid

    fee = record_payment_fee(payment_id=payment.pk)

    assert fee.kind == "fee" and fee.amount == Decimal("1.00")  # 24.00 × 2.9 % + 0.30 = 0.996 → 1.00
    assert fee.charge == PaymentLedgerEntry.objects.get(kind="charge") and fee.booking == booking
    assert record_payment_fee(payment_id=payment.pk) == fee and record_missing_fees() == 0
    assert PaymentLedgerEntry.objects.filter(kind="fee").count() == 1
    assert check_payments_ledger() == []


def test_no_fee_without_one_reported_nor_at_the_desk(paid, massage):
    _booking, payment = paid
    assert record_payment_fee(payment_id=payment.pk) is None
    visit = f.booking(
        f.session(massage, massage.staff.get(), f.local(f.next_weekday(3), "10:00")), f.client()
    )
    desk = record_desk_payment(
        booking=visit, amount=Decimal("80"), method="cash", request_key=uuid.uuid4().hex
    )
    assert record_payment_fee(payment_id=desk.pk) is None
    assert not PaymentLedgerEntry.objects.filter(kind="fee").exists()


def test_fees_count_against_the_net_in_the_list_export_and_revenue(with_fee, paid):
    _booking, payment = paid
    record_payment_fee(payment_id=payment.pk)
    tz = Business.current().tz

    entries = ledger_for_list({}, tz=tz)
    [totals] = ledger_totals(entries)
    assert totals.charges == Decimal("24.00") and totals.fees == Decimal("1.00") and totals.fee_count == 1
    assert totals.net == Decimal("23.00")
    assert sum(row[6] for row in export_rows(entries, tz=tz)) == Decimal("23.00")
    [revenue] = recent_revenue(tz=tz, now=timezone.now() + timedelta(minutes=1))
    assert revenue.total == Decimal("23.00") and revenue.by_service[0].fees == Decimal("1.00")
    assert ledger_totals(ledger_for_list({"kind": "fee"}, tz=tz))[0].net == Decimal("-1.00")


def test_the_booking_page_and_the_payments_list_show_the_fee(client, olivia, with_fee, paid):
    booking, payment = paid
    record_payment_fee(payment_id=payment.pk)
    client.force_login(olivia)

    assert "Provider fee: 1.00 EUR" in client.get(f"/dashboard/bookings/{booking.pk}/").content.decode()
    listed = client.get("/dashboard/payments/?kind=fee").content.decode()
    assert "Provider fee" in listed and "−1.00 EUR" in listed


def test_the_ledger_check_finds_a_fee_larger_than_its_charge(paid):
    _booking, payment = paid
    charge = PaymentLedgerEntry.objects.get(kind="charge")
    PaymentLedgerEntry.objects.create(
        payment=payment,
        booking=charge.booking,
        charge=charge,
        kind="fee",
        amount=Decimal("30"),
        currency="EUR",
        provider="test",
    )
    assert any("fee of 30" in problem for problem in check_payments_ledger())


@pytest.mark.parametrize("kind", ["fee", "FEE", "x" * 300, "<b>", "refund"])
def test_the_list_filter_on_kind_answers_without_error(client, olivia, paid, kind):
    client.force_login(olivia)
    assert client.get("/dashboard/payments/", {"kind": kind}).status_code in (200, 400)
