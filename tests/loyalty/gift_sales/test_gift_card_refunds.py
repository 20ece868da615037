"""A sold gift card's receipt (the buyer's), the thanks for a gift, and the owner refunding an
unused card: voided with the refund's ledger row, refused with a reason otherwise, retried
after the provider failed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings_app.display.receipts import receipt_context
from bookings_app.models import Business, OutgoingEmail, PaymentLedgerEntry, Receipt, RefundStatus
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.services.payments import retry_refund, send_refund
from loyalty.errors import GiftCardRefunded
from loyalty.models import GiftCard, GiftCardOrder
from loyalty.services import redeem_gift_card
from loyalty.services.gift_card_refunds import GiftCardRefundRefused, refund_sold_gift_card
from tests import factories as f
from tests.support.gift_sales import order_card
from tests.support.payments import deliver

pytestmark = pytest.mark.django_db


def _a_booking():
    start = f.local(f.next_weekday(2), "10:00")
    service = f.service()
    return f.booking(f.session(service, f.staff_member(), start), f.client())


def _paid(card_50, **gift):
    order, payment = order_card(product=card_50, **gift)
    assert deliver(payment).code == "fulfilled"
    order.refresh_from_db()
    return order, payment


def test_a_paid_card_has_the_buyers_receipt_emailed_once(card_50):
    order, payment = order_card(product=card_50)
    for _ in range(3):
        deliver(payment, event_id="evt_once")
    order.refresh_from_db()

    receipt = Receipt.objects.get()
    assert receipt.booking is None and receipt.payment == payment and receipt.display_number == "R-000001"
    assert receipt.amount == Decimal("50.00") and receipt.snapshot["client"]["email"] == "carla@example.test"
    shown = receipt_context(receipt)
    assert shown["line"] == f"Gift card (…{order.gift_card.code[-4:]})" and shown["booking_code"] == ""
    mails = OutgoingEmail.objects.filter(kind="receipt")
    assert mails.count() == 1 and mails.get().to == "carla@example.test"
    assert not OutgoingEmail.objects.filter(kind="loyalty_gift_order_thanks").exists()  # for herself


def test_the_buyer_of_a_gift_is_thanked_once_and_gets_the_receipt(card_50):
    later = timezone.localtime(timezone.now(), Business.current().tz).date() + timedelta(days=3)
    order, payment = order_card(product=card_50, gift_to="dan@example.test", deliver_on=later)
    deliver(payment, event_id="evt_gift")
    deliver(payment, event_id="evt_gift")
    deliver(payment)  # another event saying paid

    thanks = OutgoingEmail.objects.get(kind="loyalty_gift_order_thanks")
    assert thanks.to == "carla@example.test" and "Dan Levi" in thanks.body_text
    assert OutgoingEmail.objects.filter(kind="receipt", to="carla@example.test").count() == 1
    assert not OutgoingEmail.objects.filter(kind="loyalty_gift_delivery").exists()  # not its day yet


def test_an_unused_card_is_refunded_in_full_and_voided_with_its_credit_note(card_50, olivia):
    order, payment = _paid(card_50)

    refund = send_refund(refund_id=refund_sold_gift_card(order=order, by=olivia).pk)

    assert refund.status == RefundStatus.SUCCEEDED and refund.amount == Decimal("50.00")
    card = GiftCard.objects.get()
    assert card.voided_at is not None and card.remaining_value == 0
    entry = PaymentLedgerEntry.objects.get(kind="refund")
    assert entry.payment == payment and entry.booking is None
    note = Receipt.objects.get(series="CN")
    assert note.credits.display_number == "R-000001" and note.ledger_entry == entry
    assert check_payments_ledger() == []
    with pytest.raises(GiftCardRefunded):
        redeem_gift_card(code=card.code, booking=_a_booking(), amount_due=Decimal("10"))
    with pytest.raises(GiftCardRefundRefused):
        refund_sold_gift_card(order=order)


def test_a_used_card_is_not_refunded(card_50):
    order, _payment = _paid(card_50)
    redeem_gift_card(code=order.gift_card.code, booking=_a_booking(), amount_due=Decimal("10"))

    with pytest.raises(GiftCardRefundRefused, match="has been used"):
        refund_sold_gift_card(order=order)
    assert not PaymentLedgerEntry.objects.filter(kind="refund").exists()


def test_a_refused_refund_is_shown_and_can_be_tried_again(card_50, settings):
    order, _payment = _paid(card_50)
    settings.PAYMENT_TEST_REFUNDS_FAIL = True

    refund = send_refund(refund_id=refund_sold_gift_card(order=order).pk)

    assert refund.status == RefundStatus.FAILED and "PAYMENT_TEST_REFUNDS_FAIL" in refund.error
    card = GiftCard.objects.get()
    assert card.voided_at is None
    with pytest.raises(GiftCardRefunded):  # while its refund is open the card pays nothing
        redeem_gift_card(code=card.code, booking=_a_booking(), amount_due=Decimal("10"))
    with pytest.raises(GiftCardRefundRefused, match="under way"):
        refund_sold_gift_card(order=order)

    settings.PAYMENT_TEST_REFUNDS_FAIL = False
    assert retry_refund(refund=refund).status == RefundStatus.SUCCEEDED
    card.refresh_from_db()
    assert card.voided_at is not None and check_payments_ledger() == []


def test_an_order_never_paid_is_not_refunded(card_50):
    order, _payment = order_card(product=card_50)
    with pytest.raises(GiftCardRefundRefused, match="never paid"):
        refund_sold_gift_card(order=GiftCardOrder.objects.get(pk=order.pk))


# --- The owner's page ----------------------------------------------------------------------


def test_the_owner_refunds_from_the_gift_cards_page(client, olivia, card_50, django_assert_max_num_queries):
    order, _payment = _paid(card_50)
    client.force_login(olivia)
    page = client.get("/dashboard/loyalty/gift-cards/")
    assert "Refund to the buyer" in page.content.decode()

    answer = client.post(f"/dashboard/loyalty/gift-cards/orders/{order.pk}/refund/", follow=True)

    assert "refunded to its buyer" in answer.content.decode()
    assert GiftCard.objects.get().voided_at is not None
    again = client.post(f"/dashboard/loyalty/gift-cards/orders/{order.pk}/refund/", follow=True)
    assert "refunded already" in again.content.decode()


def test_the_gift_cards_page_costs_the_same_for_one_sale_as_for_many(
    client, olivia, card_50, django_assert_num_queries
):
    _paid(card_50)
    client.force_login(olivia)
    client.get("/dashboard/loyalty/gift-cards/")  # warm the program and session caches
    with CaptureQueriesContext(connection) as one:
        client.get("/dashboard/loyalty/gift-cards/")
    for n in range(4):
        _paid(card_50) if n % 2 else order_card(email=f"b{n}@example.test", product=card_50)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/dashboard/loyalty/gift-cards/")


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/loyalty/gift-cards/orders/999999/refund/",
        "/dashboard/loyalty/gift-cards/orders/%00/refund/",
        "/dashboard/loyalty/gift-cards/orders/-1/refund/",
        "/dashboard/loyalty/gift-cards/refunds/999999/retry/",
        "/dashboard/loyalty/gift-cards/refunds/abc/retry/",
    ],
)
def test_bad_addresses_answer_a_4xx(client, olivia, selling, path):
    client.force_login(olivia)
    assert client.post(path).status_code in (400, 404)


def test_a_bookings_refund_is_not_retried_from_the_gift_cards_page(client, olivia, selling):
    from bookings_app.models import Payment, PaymentRefund

    booking = _a_booking()
    payment = Payment.objects.create(
        booking=booking,
        amount=Decimal("10"),
        currency="EUR",
        provider="test",
        status="paid",
        paid_at=timezone.now(),
    )
    refund = PaymentRefund.objects.create(
        payment=payment, amount=Decimal("1"), reason="owner", status="failed"
    )
    client.force_login(olivia)
    assert client.post(f"/dashboard/loyalty/gift-cards/refunds/{refund.pk}/retry/").status_code == 404


def test_only_the_owner_refunds(client, sam, card_50):
    order, _payment = _paid(card_50)
    client.force_login(sam)
    assert client.post(f"/dashboard/loyalty/gift-cards/orders/{order.pk}/refund/").status_code in (302, 403)
    assert GiftCard.objects.get().voided_at is None
    assert client.get(f"/dashboard/loyalty/gift-cards/orders/{order.pk}/refund/").status_code in (
        302,
        403,
        405,
    )
