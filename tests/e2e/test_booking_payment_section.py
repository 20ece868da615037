"""In Chromium, tablet size, English and Hebrew, with axe: the booking page's payment section
(a deposit paid online with its provider fee) and the owner recording the rest at the desk,
card, receipt e-mailed; the receipt shows at once. Then the gift cards page refunds a sold card."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings_app.models import Business, OutgoingEmail, PaymentPolicy, Receipt
from bookings_app.services.fees import record_payment_fee
from bookings_app.services.settings import update_business_settings
from loyalty.models import GiftCard, GiftCardProduct, Program
from tests import factories as make
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page
from tests.support.gift_sales import order_card
from tests.support.payments import deliver, hold_appointment


@pytest.fixture
def deposit_paid(transactional_db, settings):
    settings.PAYMENT_TEST_FEE = "2.9%+0.30"
    make.business(currency="EUR")
    update_business_settings(business=Business.current(), legal_name="Lumen SARL", vat_rate=Decimal("20"))
    nina = make.staff_member("Nina", hours={d: [("08:00", "20:00")] for d in range(7)})
    massage = make.service(
        "Massage",
        staff=[nina],
        price=Decimal("80.00"),
        payment_policy=PaymentPolicy.DEPOSIT,
        deposit_percent=30,
    )
    booking, payment = hold_appointment(massage, make.local(make.next_weekday(2), "10:00"))
    deliver(payment)
    record_payment_fee(payment_id=payment.pk)
    return booking


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_records_the_rest_at_the_desk(live_server, page_for, olivia, deposit_paid, language):
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(live_server.url + reverse("dashboard:booking", args=[deposit_paid.pk]))
    section = page.locator(".payments-record")
    assert "1.00" in section.locator(".payment-fee").inner_text()  # 24.00 × 2.9 % + 0.30
    assert page.locator("#id_amount").input_value() == "56.00"
    assert not serious_violations(page)
    screenshot(page, f"payments/booking-section-{language}")

    page.select_option("#id_method", "desk_card")
    page.check("#id_email_receipt")
    page.locator(".desk-payment-form button[type=submit]").click()
    page.locator(".receipts").get_by_text("R-000002").wait_for()

    assert Receipt.objects.filter(payment__provider="desk_card", amount=Decimal("56.00")).count() == 1
    assert OutgoingEmail.objects.filter(kind="receipt").count() == 2
    assert page.locator(".desk-payment-form").count() == 0  # nothing left to pay
    assert not serious_violations(page)
    screenshot(page, f"payments/booking-after-desk-payment-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_bad_amount_is_refused_next_to_the_field(live_server, page_for, olivia, deposit_paid, language):
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(live_server.url + reverse("dashboard:booking", args=[deposit_paid.pk]))
    page.fill("#id_amount", "500")
    page.locator(".desk-payment-form button[type=submit]").click()
    error = page.locator(".desk-payment-form .field-error")
    error.wait_for()
    assert "56.00" in error.inner_text()
    assert not Receipt.objects.filter(payment__provider__in=["cash", "desk_card"]).exists()
    assert not serious_violations(page)
    screenshot(page, f"payments/booking-desk-error-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_refunds_a_sold_gift_card(live_server, page_for, olivia, transactional_db, language):
    make.business(currency="EUR")
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True, "sells_gift_cards": True})
    product = GiftCardProduct.objects.create(name="Card 50", value=Decimal("50"), sold_for_money=True)
    _order, payment = order_card(product=product)
    deliver(payment)
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(live_server.url + reverse("loyalty_dashboard:gift_cards"))
    assert not serious_violations(page)
    page.locator(".sale-refund button").click()
    page.locator(".sale-refund").wait_for(state="detached")
    assert GiftCard.objects.get().voided_at is not None
    assert not serious_violations(page)
    screenshot(page, f"payments/gift-card-refunded-{language}")
