"""The payments ledger is append-only, and ``check_payments_ledger`` finds what drifted."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bookings_app.models import Payment, PaymentLedgerEntry
from bookings_app.models.payments import PaymentLedgerIsAppendOnly
from bookings_app.services import payments
from tests.support.payments import deliver, hold_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(yoga_session):
    _, payment = hold_seat(yoga_session)
    deliver(payment)
    payment.refresh_from_db()
    return payment


def test_entries_are_never_changed_or_deleted(paid):
    entry = PaymentLedgerEntry.objects.get()
    with pytest.raises(PaymentLedgerIsAppendOnly):
        entry.save()
    with pytest.raises(PaymentLedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(PaymentLedgerIsAppendOnly):
        PaymentLedgerEntry.objects.update(amount=1)
    with pytest.raises(PaymentLedgerIsAppendOnly):
        PaymentLedgerEntry.objects.all().delete()


def test_the_check_passes_after_charges_and_refunds(paid, capsys):
    refund = payments.request_refund(payment=paid, amount=Decimal("7.50"))
    payments.send_refund(refund_id=refund.pk)
    call_command("check_payments_ledger")
    assert "adds up" in capsys.readouterr().out


def test_the_check_fails_when_a_payment_drifts_from_its_entries(paid, capsys):
    Payment.objects.filter(pk=paid.pk).update(refunded_amount=Decimal("3.00"), status="partly_refunded")
    with pytest.raises(CommandError) as failure:
        call_command("check_payments_ledger")
    assert failure.value.returncode == 1
    out = capsys.readouterr().out
    assert f"Payment #{paid.pk}: 3.00 EUR is recorded as refunded but the ledger refunds 0.00" in out


def test_the_check_fails_for_a_paid_payment_without_its_charge(yoga_session):
    _, payment = hold_seat(yoga_session)
    from django.utils import timezone

    Payment.objects.filter(pk=payment.pk).update(status="paid", paid_at=timezone.now())
    with pytest.raises(CommandError):
        call_command("check_payments_ledger")
