"""In Chromium: the receipts of a booking paid online and partly refunded, on the owner's booking
page (tablet) and the client's manage page (phone), in English and Hebrew, with axe; the client
downloads the PDF. The owner's settings refuse a VAT rate over 100 next to the field."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Business, PaymentPolicy, ServiceKind
from bookings_app.services import payments
from bookings_app.services.settings import update_business_settings
from bookings_app.web import links
from tests import factories as make
from tests.support.browser import PHONE, TABLET, screenshot, serious_violations, signed_in_page
from tests.support.payments import deliver, hold_seat


@pytest.fixture
def refunded(transactional_db):
    make.business(currency="EUR")
    update_business_settings(
        business=Business.current(),
        legal_name="Lumen SARL",
        legal_address="12 rue des Lilas\n75011 Paris",
        tax_number="FR 12 345678901",
        vat_rate=Decimal("20"),
    )
    nina = make.staff_member("Nina")
    service = make.service(
        "Pilates",
        kind=ServiceKind.CLASS,
        staff=[nina],
        price=Decimal("20.00"),
        payment_policy=PaymentPolicy.FULL,
    )
    start = (timezone.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    booking, payment = hold_seat(make.session(service, nina, start, capacity=8))
    deliver(payment)
    payment.refresh_from_db()
    payments.send_refund(refund_id=payments.request_refund(payment=payment, amount=Decimal("5.00")).pk)
    return booking


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_sees_the_receipts_on_the_booking_page(live_server, page_for, olivia, refunded, language):
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(live_server.url + reverse("dashboard:booking", args=[refunded.pk]))
    section = page.locator(".receipts")
    assert section.locator("a[download]").count() == 2
    assert "R-000001" in section.inner_text() and "CN-000001" in section.inner_text()
    assert not serious_violations(page)
    section.scroll_into_view_if_needed()
    section.screenshot(
        path=str(
            screenshot(page, f"receipts/owner-booking-{language}").with_name(f"owner-section-{language}.png")
        )
    )


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_client_downloads_the_receipt_from_the_manage_page(live_server, page_for, refunded, language):
    page = page_for(viewport=PHONE, language=language)
    page.goto(live_server.url + links.manage_path(refunded))
    section = page.locator(".receipts")
    assert section.is_visible()
    assert not serious_violations(page)
    screenshot(page, f"receipts/manage-{language}")
    with page.expect_download() as download:
        section.locator("a[download]").first.click()
    assert download.value.suggested_filename == "R-000001.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_settings_refuse_a_vat_rate_over_100_next_to_the_field(live_server, page_for, olivia, language):
    make.business()
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(live_server.url + reverse("dashboard:settings"))
    page.fill("#id_vat_rate", "120")
    page.click("form.settings-form button[type=submit]")
    error = page.locator("#id_vat_rate ~ .field-error")
    error.wait_for()
    assert "100" in error.inner_text()
    assert not serious_violations(page)
    screenshot(page, f"receipts/settings-vat-error-{language}")
