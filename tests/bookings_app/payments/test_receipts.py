"""Receipts and credit notes: one per charge and per refund, numbered without gaps, a copy of
what they print, e-mailed once with their PDF in the client's language."""

import base64
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation

from bookings_app.display.receipts import receipt_context, render_receipt
from bookings_app.models import Business, Client, OutgoingEmail, Receipt, ReceiptCounter
from bookings_app.models.receipts import ReceiptsAreAppendOnly
from bookings_app.services import payments
from bookings_app.services.receipts import vat_included
from bookings_app.services.settings import update_business_settings
from tests.support.discounts import book_with_code, code
from tests.support.payments import deliver, hold_seat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def legal_details(studio):
    update_business_settings(
        business=Business.current(),
        legal_name="Lumen SARL",
        legal_address="12 rue des Lilas\n75011 Paris",
        tax_number="FR 12 345678901",
        vat_rate=Decimal("20.00"),
    )


def _paid(session, number: int = 1):
    booking, payment = hold_seat(session, number)
    deliver(payment)
    payment.refresh_from_db()
    return booking, payment


def _refunded(payment, amount: str):
    refund = payments.request_refund(payment=payment, amount=Decimal(amount))
    return payments.send_refund(refund_id=refund.pk)


def page_text(document) -> str:
    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    return " ".join(text for page in document.pages for text in texts(page._page_box))


def test_each_charge_gets_the_next_receipt_number(yoga_session):
    first, _ = _paid(yoga_session, 1)
    second, _ = _paid(yoga_session, 2)

    assert [(r.display_number, r.booking_id) for r in Receipt.objects.order_by("number")] == [
        ("R-000001", first.pk),
        ("R-000002", second.pk),
    ]
    assert ReceiptCounter.objects.get(series="R").last_number == 2


def test_the_receipt_keeps_a_copy_of_what_it_prints(yoga_session):
    booking, payment = _paid(yoga_session)
    receipt = Receipt.objects.get()

    assert (receipt.amount, receipt.currency, receipt.vat_rate, receipt.vat_amount) == (
        Decimal("20.00"),
        "EUR",
        Decimal("20.00"),
        Decimal("3.33"),  # 20.00 × 20 / 120
    )
    shown = receipt.snapshot
    assert shown["business"] == {
        "name": "Lumen SARL",
        "trading_name": Business.current().name,
        "address": "12 rue des Lilas\n75011 Paris",
        "tax_number": "FR 12 345678901",
    }
    assert shown["client"]["name"] == "Client 1"
    assert shown["booking"]["service"] == "Yoga" and shown["booking"]["code"] == booking.code
    assert shown["payment"]["provider"] == "test" and shown["payment"]["deposit"] is False
    assert shown["discount"] is None


def test_later_changes_to_the_business_do_not_change_an_issued_receipt(yoga_session):
    _paid(yoga_session)
    update_business_settings(
        business=Business.current(), legal_name="Someone Else Ltd", vat_rate=Decimal("5.00")
    )
    receipt = Receipt.objects.get()

    with translation.override("en"):
        context = receipt_context(receipt)
    assert context["seller"]["name"] == "Lumen SARL" and context["vat"] == "3.33 EUR"


def test_a_deposit_receipt_says_so(massage, nina):
    from django.utils import timezone

    from tests.support.payments import hold_appointment

    start = (timezone.now() + timezone.timedelta(days=4)).replace(hour=10, minute=0, second=0, microsecond=0)
    _, payment = hold_appointment(massage, start)
    deliver(payment)
    receipt = Receipt.objects.get()

    assert receipt.amount == Decimal("24.00") and receipt.snapshot["payment"]["deposit"] is True
    with translation.override("en"):
        assert receipt_context(receipt)["line"] == "Deposit: Massage"


def test_a_succeeded_refund_gets_a_credit_note_referring_to_the_receipt(yoga_session):
    _, payment = _paid(yoga_session)
    _refunded(payment, "5.00")
    _refunded(payment, "15.00")

    notes = list(Receipt.objects.filter(series="CN").order_by("number"))
    assert [(note.display_number, note.amount, note.vat_amount) for note in notes] == [
        ("CN-000001", Decimal("5.00"), Decimal("0.83")),
        ("CN-000002", Decimal("15.00"), Decimal("2.50")),
    ]
    assert all(note.credits.display_number == "R-000001" for note in notes)


def test_a_failed_refund_gets_no_credit_note(yoga_session, monkeypatch):
    from bookings_app.payments import ProviderError, testing

    _, payment = _paid(yoga_session)

    def refuse(self, payment, refund):
        raise ProviderError("card closed")

    monkeypatch.setattr(testing.TestProvider, "refund", refuse)
    _refunded(payment, "5.00")

    assert not Receipt.objects.filter(series="CN").exists()


def test_a_rolled_back_charge_takes_no_number(yoga_session):
    _, payment = hold_seat(yoga_session, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        deliver(payment)
        assert Receipt.objects.get().number == 1
        raise RuntimeError("the transaction fails after the receipt")

    assert not Receipt.objects.exists()
    assert ReceiptCounter.objects.get(series="R").last_number == 0
    _paid(yoga_session, 2)
    assert list(Receipt.objects.values_list("number", flat=True)) == [1]


def test_receipts_are_never_changed_or_deleted(yoga_session):
    _paid(yoga_session)
    receipt = Receipt.objects.get()
    with pytest.raises(ReceiptsAreAppendOnly):
        receipt.save()
    with pytest.raises(ReceiptsAreAppendOnly):
        receipt.delete()
    with pytest.raises(ReceiptsAreAppendOnly):
        Receipt.objects.update(amount=1)
    with pytest.raises(ReceiptsAreAppendOnly):
        Receipt.objects.all().delete()


def test_a_webhook_replayed_ten_times_makes_one_receipt_and_one_email(yoga_session):
    _, payment = hold_seat(yoga_session)
    for _ in range(10):
        deliver(payment, event_id="evt_same")
    for attempt in range(10):
        deliver(payment, event_id=f"evt_other_{attempt}")  # "already paid", another event id

    assert Receipt.objects.count() == 1
    assert list(OutgoingEmail.objects.filter(kind="receipt").values_list("dedupe_key", flat=True)) == [
        "receipt:R:1"
    ]


def test_the_email_is_written_with_its_pdf_when_sent(yoga_session, as_sent):
    _paid(yoga_session)
    email = as_sent(OutgoingEmail.objects.get(kind="receipt"))

    assert email.status == "sent"
    assert email.subject == "Receipt R-000001 from Studio Lumen"
    assert "Thank you for your payment of 20.00 EUR" in email.body_text
    assert "VAT 20% included: 3.33 EUR" in email.body_text
    assert "FR 12 345678901" in email.body_html
    [attachment] = email.attachments
    assert attachment["filename"] == "R-000001.pdf" and attachment["mimetype"] == "application/pdf"
    assert base64.b64decode(attachment["content"]).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("language", "subject"),
    [("fr", "Reçu R-000001 de Studio Lumen"), ("he", "קבלה R-000001 מאת Studio Lumen")],
)
def test_the_email_is_in_the_clients_language(yoga_session, as_sent, language, subject):
    booking, payment = hold_seat(yoga_session)
    Client.objects.filter(pk=booking.client_id).update(language=language)
    deliver(payment)
    email = as_sent(OutgoingEmail.objects.get(kind="receipt"))

    assert email.language == language and email.subject == subject


def test_the_credit_note_email(yoga_session, as_sent):
    _, payment = _paid(yoga_session)
    _refunded(payment, "20.00")
    email = as_sent(OutgoingEmail.objects.get(dedupe_key="receipt:CN:1"))

    assert email.subject == "Credit note CN-000001 from Studio Lumen"
    assert "We have refunded 20.00 EUR" in email.body_text and "Refers to receipt R-000001" in email.body_text


def test_the_pdf_shows_the_receipt(yoga_session):
    _paid(yoga_session)
    with translation.override("en"):
        text = page_text(render_receipt(Receipt.objects.get()))

    for shown in ("Lumen SARL", "FR 12 345678901", "R-000001", "Client 1", "Yoga", "20.00 EUR", "3.33 EUR"):
        assert shown in text
    assert "VAT 20% included" in text


def test_the_pdf_says_no_vat_when_the_rate_is_zero(yoga_session):
    update_business_settings(business=Business.current(), vat_rate=Decimal("0"))
    _paid(yoga_session)
    with translation.override("en"):
        text = page_text(render_receipt(Receipt.objects.get()))
    assert "No VAT charged." in text and "VAT 0" not in text


def _text_box(document, text: str):
    def boxes(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    return next(box for box in boxes(document.pages[0]._page_box) if getattr(box, "text", None) == text)


def test_the_hebrew_pdf_reads_right_to_left_without_a_warning(yoga_session, caplog):
    _paid(yoga_session)
    with translation.override("he"), caplog.at_level("WARNING", logger="weasyprint"):
        document = render_receipt(Receipt.objects.get())

    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.text
    title = _text_box(document, "קבלה")
    assert title.position_x < document.pages[0].width / 2  # the receipt's title sits on the left in Hebrew
    assert document.write_pdf().startswith(b"%PDF-")


def test_vat_included_in_a_price():
    assert vat_included(Decimal("120.00"), Decimal("20")) == Decimal("20.00")
    assert vat_included(Decimal("10.00"), Decimal("5.5")) == Decimal("0.52")
    assert vat_included(Decimal("10.00"), Decimal("0")) == Decimal("0.00")
    assert vat_included(Decimal("10.00"), Decimal("100")) == Decimal("5.00")


def test_a_receipt_for_a_discounted_price_shows_the_code_and_adds_up(yoga_session):
    """20 EUR less SPRING's 10 %: the service's line 20.00, the discount −2.00, paid 18.00."""
    code(code="SPRING")
    booking = book_with_code(yoga_session, "SPRING")
    deliver(booking.payments.get())

    receipt = Receipt.objects.get()
    assert receipt.amount == Decimal("18.00")
    assert receipt.snapshot["discount"] == {"label": "SPRING", "amount": "2.00"}
    with translation.override("en"):
        text = page_text(render_receipt(receipt))
    for shown in ("20.00 EUR", "Discount SPRING", "2.00 EUR", "18.00 EUR"):
        assert shown in text
