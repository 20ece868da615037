"""In Chromium on a desktop: the owner runs the loyalty program — settings, points by hand in a
dialog, an export with its progress bar, gift cards, a service's Loyalty tab, a client's history."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.models import ServiceKind
from loyalty import tasks
from loyalty.models import GiftCardProduct, PointsExport, Program, ServicePoints
from loyalty.services import adjust_points, credit_points_for_ended_sessions, issue_gift_card
from tests import factories as f
from tests.support.browser import screenshot, signed_in_page


@pytest.fixture
def loyal_studio(db, olivia):
    """The program on; Yoga earns 10 points; Alice and Bob have a history; two gift cards on offer."""
    f.business(currency="EUR")
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=20)
    ServicePoints.objects.create(service=yoga, points=10)
    alice, bob = f.client("Alice", last_name="Martin"), f.client("Bob", last_name="Cohen")
    for days in (3, 10):
        session = f.session(yoga, nina, timezone.now() - timedelta(days=days))
        f.booking(session, alice)
        f.booking(session, bob)
    credit_points_for_ended_sessions()
    adjust_points(client=alice, points=50, description="Welcome bonus", by=olivia)
    voucher = GiftCardProduct.objects.create(name="Voucher 25", value=Decimal("25"), points_price=100)
    GiftCardProduct.objects.create(name="Massage 60", value=Decimal("70"), validity_days=180)
    issue_gift_card(product=voucher, client=bob, by=olivia)
    return {"yoga": yoga, "alice": alice, "bob": bob}


def _shows_the_program_on_with_its_delay(page) -> None:
    assert page.locator("#id_is_enabled").is_checked()
    assert page.locator("#id_credit_delay_hours").input_value() == "3"


def _lists_both_products_with_the_voucher_points_price(page) -> None:
    rows = page.locator("#product-table tbody tr")
    assert rows.count() == 2
    assert "100" in rows.filter(has_text="Voucher 25").inner_text()
    assert rows.filter(has_text="Massage 60").count() == 1


def _lists_bobs_card_and_counts_it(page) -> None:
    assert page.locator(".gift-card-totals dd").first.inner_text() == "1"
    [card] = page.locator("#gift-card-table tbody tr").all()
    assert "Voucher 25" in card.inner_text() and "Bob Cohen" in card.inner_text()


def _offers_both_products(page) -> None:
    assert page.locator("#id_product option").all_inner_texts()[1:] == ["Voucher 25", "Massage 60"]


def _starts_a_product_on_sale_for_a_year(page) -> None:
    assert page.locator("#id_is_active").is_checked()
    assert page.locator("#id_validity_days").input_value() == "365"


def _shows_the_class_earning_ten_points(page) -> None:
    assert page.locator("#id_earns_points").is_checked()
    assert page.locator("#id_points").input_value() == "10"


def _other_loyalty_pages(studio) -> list[tuple[str, str, dict[str, str], Callable]]:
    """Each page: its name, its address, its heading in English and Hebrew, and what it must show."""
    return [
        (
            "settings",
            "/dashboard/loyalty/settings/",
            {"en": "Loyalty settings", "he": "הגדרות מועדון הלקוחות"},
            _shows_the_program_on_with_its_delay,
        ),
        (
            "products",
            "/dashboard/loyalty/gift-cards/products/",
            {"en": "Gift card products", "he": "סוגי כרטיסי מתנה"},
            _lists_both_products_with_the_voucher_points_price,
        ),
        (
            "gift-cards",
            "/dashboard/loyalty/gift-cards/",
            {"en": "Gift cards", "he": "כרטיסי מתנה"},
            _lists_bobs_card_and_counts_it,
        ),
        (
            "issue",
            "/dashboard/loyalty/gift-cards/issue/",
            {"en": "Issue a gift card", "he": "הנפקת כרטיס מתנה"},
            _offers_both_products,
        ),
        (
            "product-new",
            "/dashboard/loyalty/gift-cards/products/new/",
            {"en": "New gift card", "he": "כרטיס מתנה חדש"},
            _starts_a_product_on_sale_for_a_year,
        ),
        (
            "service-tab",
            f"/dashboard/services/{studio['yoga'].pk}/?tab=loyalty",
            {"en": "Yoga", "he": "Yoga"},
            _shows_the_class_earning_ten_points,
        ),
    ]


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_adjusts_points_in_a_dialog_and_exports_the_report(
    live_server, page_for, olivia, loyal_studio, language
):
    page = signed_in_page(page_for, live_server, olivia, language)
    page.goto(f"{live_server.url}/dashboard/loyalty/points/")
    assert page.locator("td.row-actions").count() == 5
    screenshot(page, f"loyalty-report-{language}")

    page.click("header.page-header a.button--primary")
    page.wait_for_selector("dialog[open]")
    page.fill("dialog input[name=client_q]", "Alice")
    page.check(f"dialog input[name=client][value='{loyal_studio['alice'].pk}']")
    page.fill("dialog input[name=points]", "-500")
    page.fill("dialog input[name=description]", "Too much")
    page.click("dialog button[type=submit].button--primary")
    page.wait_for_selector("dialog .field-error")
    screenshot(page, f"loyalty-adjust-dialog-{language}")

    page.fill("dialog input[name=points]", "15")
    page.fill("dialog input[name=description]", "Thank you for the referral")
    page.click("dialog button[type=submit].button--primary")
    page.wait_for_selector("#loyalty-dialog .message--success")
    page.wait_for_selector("text=Thank you for the referral")
    assert page.locator("td.row-actions").count() == 6

    page.click("button[name=format][value=xlsx]")
    page.wait_for_selector("#loyalty-exports progress")
    tasks.build_points_export(PointsExport.objects.latest("pk").pk)
    page.wait_for_selector("#loyalty-exports a[download]")
    screenshot(page, f"loyalty-report-export-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_walks_the_other_loyalty_pages(live_server, page_for, olivia, loyal_studio, language):
    page = signed_in_page(page_for, live_server, olivia, language)
    base = live_server.url
    for name, path, headings, shows in _other_loyalty_pages(loyal_studio):
        page.goto(f"{base}{path}")
        assert page.locator("main h1").inner_text() == headings[language], name
        shows(page)
        screenshot(page, f"loyalty-{name}-{language}")

    page.goto(f"{base}/dashboard/loyalty/settings/")
    page.fill("#id_template_points_earned_subject", "Bravo {client_first_name}!")
    page.wait_for_selector("#loyalty-preview >> text=Bravo Alice!")

    page.goto(f"{base}/dashboard/clients/")
    page.click(f"a[href='/dashboard/loyalty/clients/{loyal_studio['alice'].pk}/history/']")
    page.wait_for_selector("dialog[open] >> text=Welcome bonus")
    screenshot(page, f"loyalty-client-history-{language}")
    page.click("dialog .modal__close")
    page.wait_for_selector("dialog[open]", state="detached")
