"""In Chromium, on a tablet: the owner reads the payments list, narrows it to refunds, finds a
client, and downloads the CSV of what is listed. English and Hebrew, with axe."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import PaymentPolicy, ServiceKind
from bookings_app.services import payments
from tests import factories as make
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page
from tests.support.payments import deliver, hold_seat


@pytest.fixture
def ledger(transactional_db):
    """Three clients paid 20 EUR for yoga; Client 1 got 7.50 back."""
    make.business(currency="EUR")
    nina = make.staff_member("Nina")
    yoga = make.service(
        "Yoga",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=8,
        price=Decimal("20.00"),
        payment_policy=PaymentPolicy.FULL,
    )
    start = (timezone.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    session = make.session(yoga, nina, start)
    paid = []
    for number in (1, 2, 3):
        _, payment = hold_seat(session, number)
        deliver(payment)
        paid.append(payment)
    paid[0].refresh_from_db()
    refund = payments.request_refund(payment=paid[0], amount=Decimal("7.50"))
    payments.send_refund(refund_id=refund.pk)
    return paid


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_filters_the_payments_and_exports_them(live_server, page_for, olivia, ledger, language):
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(f"{live_server.url}/dashboard/payments/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#payment-table .table-scroll tbody tr").count() == 4
    assert page.locator(".payment-totals tbody tr").count() == 1
    assert "52.50" in page.locator(".payment-totals tbody tr").inner_text()
    assert page.locator('.sidebar a[aria-current="page"][href="/dashboard/payments/"]').count() == 1
    assert serious_violations(page) == []
    screenshot(page, f"payments-list-{language}")

    page.select_option("#id_kind", "refund")
    page.wait_for_url("**kind=refund**")
    page.wait_for_function("document.querySelectorAll('#payment-table .table-scroll tbody tr').length === 1")
    assert "7.50" in page.locator(".payment-totals").inner_text()

    page.select_option("#id_kind", "")
    page.fill("#id_q", "client2@race")
    page.wait_for_url("**q=client2**")
    page.wait_for_function("document.querySelectorAll('#payment-table .table-scroll tbody tr').length === 1")
    with page.expect_download() as download:
        page.click(".export-links a[href*='/csv/']")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "client2@race.test" in text and "client1@race.test" not in text
    screenshot(page, f"payments-list-search-{language}")

    page.goto(f"{live_server.url}/dashboard/payments/?date_from=2026-02-30")
    assert page.locator(".field--invalid").count() == 1
    assert page.locator("#payment-table .table-scroll tbody tr").count() == 4
    assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_sees_the_money_taken_online_on_the_home_page(
    live_server, page_for, olivia, ledger, language
):
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator(".chart--revenue rect.chart__bar").count() == 1
    assert page.locator(".home-revenue__shares").count() == 2
    assert serious_violations(page) == []
    page.locator(".home-revenue").screenshot(path=str(screenshot(page, f"home-revenue-{language}")))
