"""The demo's paid bookings have their receipts, its refund its credit note, and the business
its legal details and 20 % VAT."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from bookings_app.models import Business, OutgoingEmail, PaymentLedgerEntry, Receipt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True


def test_the_demo_has_a_receipt_per_charge_and_a_credit_note_per_refund():
    call_command("seed_demo", "--quiet-summary")

    business = Business.current()
    assert business.legal_name and business.tax_number and business.vat_rate == Decimal("20.00")
    # Every charge and refund has its document: a booking's, online or at the desk, and a gift card sale's.
    charges = PaymentLedgerEntry.objects.filter(kind="charge").count()
    refunds = PaymentLedgerEntry.objects.filter(kind="refund").count()
    assert charges >= 3 and refunds >= 1
    assert sorted(Receipt.objects.filter(series="R").values_list("number", flat=True)) == list(
        range(1, charges + 1)
    )
    assert sorted(Receipt.objects.filter(series="CN").values_list("number", flat=True)) == list(
        range(1, refunds + 1)
    )
    assert Receipt.objects.filter(series="CN", credits__isnull=False).count() == refunds
    assert all(receipt.vat_rate == Decimal("20.00") for receipt in Receipt.objects.all())
    assert OutgoingEmail.objects.filter(kind="receipt").count() <= charges + refunds  # the desk may send none
    assert Receipt.objects.filter(booking__isnull=True).exists()  # the sold gift card's

    call_command("seed_demo", "--quiet-summary")
    assert Receipt.objects.count() == charges + refunds  # a second run issues none
