"""In Chromium on a desktop: the owner runs the loyalty program — settings, points by hand in a
dialog, an export with its progress bar, gift cards, a service's Loyalty tab, a client's history."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from bookings_app.models import ServiceKind
from loyalty import tasks
from loyalty.models import GiftCardProduct, PointsExport, Program, ServicePoints
from loyalty.services import adjust_points, credit_points_for_ended_sessions, issue_gift_card
from tests import factories as f
from tests.support.browser import SCREENSHOTS, signed_in_page


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


def keep(page, name: str) -> None:
    folder = SCREENSHOTS / "h3"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_adjusts_points_in_a_dialog_and_exports_the_report(
    live_server, page_for, olivia, loyal_studio, language
):
    page = signed_in_page(page_for, live_server, olivia, language)
    page.goto(f"{live_server.url}/dashboard/loyalty/points/")
    assert page.locator("td.row-actions").count() == 5
    keep(page, f"loyalty-report-{language}")

    page.click("header.page-header a.button--primary")
    page.wait_for_selector("dialog[open]")
    page.fill("dialog input[name=client_q]", "Alice")
    page.check(f"dialog input[name=client][value='{loyal_studio['alice'].pk}']")
    page.fill("dialog input[name=points]", "-500")
    page.fill("dialog input[name=description]", "Too much")
    page.click("dialog button[type=submit].button--primary")
    page.wait_for_selector("dialog .field-error")
    keep(page, f"loyalty-adjust-dialog-{language}")

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
    keep(page, f"loyalty-report-export-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_walks_the_other_loyalty_pages(live_server, page_for, olivia, loyal_studio, language):
    page = signed_in_page(page_for, live_server, olivia, language)
    base = live_server.url
    for name, path in [
        ("settings", "/dashboard/loyalty/settings/"),
        ("products", "/dashboard/loyalty/gift-cards/products/"),
        ("gift-cards", "/dashboard/loyalty/gift-cards/"),
        ("issue", "/dashboard/loyalty/gift-cards/issue/"),
        ("product-new", "/dashboard/loyalty/gift-cards/products/new/"),
        ("service-tab", f"/dashboard/services/{loyal_studio['yoga'].pk}/?tab=loyalty"),
    ]:
        page.goto(f"{base}{path}")
        keep(page, f"loyalty-{name}-{language}")

    page.goto(f"{base}/dashboard/loyalty/settings/")
    page.fill("#id_template_points_earned_subject", "Bravo {client_first_name}!")
    page.wait_for_selector("#loyalty-preview >> text=Bravo Alice!")

    page.goto(f"{base}/dashboard/clients/")
    page.click(f"a[href='/dashboard/loyalty/clients/{loyal_studio['alice'].pk}/history/']")
    page.wait_for_selector("dialog[open] >> text=Welcome bonus")
    keep(page, f"loyalty-client-history-{language}")
    page.click("dialog .modal__close")
    page.wait_for_selector("dialog[open]", state="detached")
