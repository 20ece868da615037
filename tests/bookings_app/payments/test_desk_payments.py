"""Money taken at the desk: recorded from the booking's page with its ledger charge and its
receipt (e-mailed only if asked), once per form, never more than is left to pay; refunded at once."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings_app.models import BookingStatus, OutgoingEmail, PaymentLedgerEntry, Receipt
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.services.in_person import DeskPaymentRefused, record_desk_payment
from bookings_app.services.payments import request_refund, send_refund
from tests import factories as f
from tests.support.payments import deliver, hold_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilates(nina):
    return f.service("Pilates", staff=[nina], price=Decimal("40.00"))


@pytest.fixture
def visit(pilates, nina):
    start = f.local(f.next_weekday(3), "10:00")
    return f.booking(f.session(pilates, nina, start), f.client("Dana", phone="+33 6 12 34 56 78"))


def _key() -> str:
    return uuid.uuid4().hex


def test_cash_at_the_desk_is_a_charge_with_its_receipt(visit):
    payment = record_desk_payment(booking=visit, amount=Decimal("40"), method="cash", request_key=_key())

    entry = PaymentLedgerEntry.objects.get(kind="charge")
    assert entry.payment == payment and entry.provider == "cash" and entry.amount == Decimal("40.00")
    receipt = Receipt.objects.get()
    assert receipt.booking == visit and receipt.snapshot["payment"]["method"] == "in_person"
    visit.refresh_from_db()
    assert visit.paid_at is not None and visit.due_in_person == 0
    assert not OutgoingEmail.objects.filter(kind="receipt").exists()  # not asked for
    assert check_payments_ledger() == []


def test_the_receipt_is_emailed_when_asked_and_a_form_sent_twice_records_once(visit):
    key = _key()
    first = record_desk_payment(
        booking=visit, amount=Decimal("15"), method="desk_card", request_key=key, email_receipt=True
    )
    again = record_desk_payment(
        booking=visit, amount=Decimal("15"), method="desk_card", request_key=key, email_receipt=True
    )

    assert first == again and Receipt.objects.count() == 1
    assert OutgoingEmail.objects.filter(kind="receipt", to=visit.client.email).count() == 1
    visit.refresh_from_db()
    assert visit.paid_at is None and visit.due_in_person == Decimal("25.00")


@pytest.mark.parametrize("amount", ["0", "-5", "40.01", "1000"])
def test_no_more_than_is_left_and_nothing_negative(visit, amount):
    with pytest.raises(DeskPaymentRefused):
        record_desk_payment(booking=visit, amount=Decimal(amount), method="cash", request_key=_key())
    assert not PaymentLedgerEntry.objects.exists() and not Receipt.objects.exists()


def test_a_cancelled_booking_takes_no_payment_nor_an_unknown_method(visit):
    with pytest.raises(DeskPaymentRefused):
        record_desk_payment(booking=visit, amount=Decimal("5"), method="bitcoin", request_key=_key())
    visit.status = BookingStatus.CANCELLED
    visit.save()
    with pytest.raises(DeskPaymentRefused):
        record_desk_payment(booking=visit, amount=Decimal("5"), method="cash", request_key=_key())


def test_the_rest_of_a_deposit_is_paid_at_the_desk(massage):
    booking, payment = hold_appointment(massage, f.local(f.next_weekday(4), "11:00"))
    deliver(payment)  # 24.00 online
    booking.refresh_from_db()

    record_desk_payment(booking=booking, amount=booking.due_in_person, method="cash", request_key=_key())

    booking.refresh_from_db()
    assert booking.due_in_person == 0 and booking.paid_at is not None
    assert list(Receipt.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_a_desk_payment_is_refunded_at_once_with_its_credit_note(visit):
    payment = record_desk_payment(booking=visit, amount=Decimal("40"), method="cash", request_key=_key())

    refund = send_refund(refund_id=request_refund(payment=payment, amount=Decimal("10")).pk)

    assert refund.status == "succeeded" and refund.provider_reference.startswith("desk_refund_")
    assert Receipt.objects.filter(series="CN").count() == 1 and check_payments_ledger() == []


# --- The booking's page ----------------------------------------------------------------------


def _post(client, booking, **data):
    fields = {"amount": "40", "method": "cash", "request_key": _key(), **data}
    return client.post(f"/dashboard/bookings/{booking.pk}/desk-payment/", fields)


def test_the_owner_records_it_from_the_booking_page(client, olivia, visit):
    client.force_login(olivia)
    page = client.get(f"/dashboard/bookings/{visit.pk}/").content.decode()
    assert "Payment at the desk" in page and "E-mail a receipt to the client" in page

    answer = _post(client, visit, email_receipt="on")

    assert answer.status_code == 302
    page = client.get(f"/dashboard/bookings/{visit.pk}/").content.decode()
    assert "R-000001" in page and "cash" in page and "Payment at the desk" not in page
    assert OutgoingEmail.objects.filter(kind="receipt").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"amount": ""},
        {"amount": "abc"},
        {"amount": "NaN"},
        {"amount": "Infinity"},
        {"amount": "1e9"},
        {"amount": "12.345"},
        {"amount": "-1"},
        {"amount": "40.01"},
        {"amount": "<script>"},
        {"method": "bitcoin"},
        {"method": ""},
        {"request_key": ""},
        {"request_key": "../../etc"},
        {"amount": "4" * 500},
        {"amount": "\x00"},
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_writes_nothing(client, olivia, visit, data):
    client.force_login(olivia)
    answer = _post(client, visit, **data)
    assert answer.status_code == 400
    assert 'class="field-error"' in answer.content.decode() or "form-error-text" in answer.content.decode()
    assert not PaymentLedgerEntry.objects.exists() and not Receipt.objects.exists()


def test_only_the_owner_records_a_desk_payment(client, sam, visit):
    client.force_login(sam)
    assert _post(client, visit).status_code in (302, 403)
    assert not PaymentLedgerEntry.objects.exists()


def test_the_booking_page_costs_the_same_with_one_payment_as_with_many(client, olivia, massage):
    booking, payment = hold_appointment(massage, f.local(f.next_weekday(4), "11:00"))
    deliver(payment)
    client.force_login(olivia)
    client.get(f"/dashboard/bookings/{booking.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/dashboard/bookings/{booking.pk}/")
    booking.refresh_from_db()
    for amount in ("10", "20", "26"):
        record_desk_payment(booking=booking, amount=Decimal(amount), method="cash", request_key=_key())
    send_refund(refund_id=request_refund(payment=payment, amount=Decimal("5")).pk)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/dashboard/bookings/{booking.pk}/")
    assert len(many.captured_queries) == len(one.captured_queries)


def test_cancelling_asks_no_refund_of_money_taken_at_the_desk(visit):
    from bookings_app.services.payments import refund_for_cancellation, refund_if_client_cancels

    record_desk_payment(booking=visit, amount=Decimal("40"), method="cash", request_key=_key())

    assert refund_if_client_cancels(visit) == (Decimal("0.00"), Decimal("0.00"))
    assert refund_for_cancellation(booking=visit, by_client=False) == []
    assert not PaymentLedgerEntry.objects.filter(kind="refund").exists()
