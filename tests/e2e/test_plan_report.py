"""In Chromium on a desktop, in English and Hebrew: the plans report with its dates and export,
and a service's own booking limits; axe-core on each page, a screenshot of each."""

from decimal import Decimal

import pytest

from bookings_app.models import ServiceKind
from bookings_app.services.plans import give_plan, save_plan
from tests import factories as f
from tests.support.browser import DESKTOP, screenshot, serious_violations, signed_in_page


@pytest.fixture
def yoga():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, price=Decimal("18"))
    ten = save_plan(
        services=[yoga],
        name="10 classes",
        description="",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("150"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )
    give_plan(plan=ten, client=f.client("Alice"))
    give_plan(plan=ten, client=f.client("Bob"), source="given")
    return yoga


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_reads_the_plans_report_and_a_services_limits(
    live_server, page_for, olivia, yoga, language
):
    page = signed_in_page(page_for, live_server, olivia, language, viewport=DESKTOP)
    page.goto(f"{live_server.url}/dashboard/plans/report/")
    row = page.locator("tbody tr").first
    assert "10 classes" in row.inner_text() and "150.00 EUR" in row.inner_text()
    assert page.locator("a[download]").count() == 1
    assert serious_violations(page) == []
    screenshot(page, f"plans-report-{language}")

    page.goto(f"{live_server.url}/dashboard/services/{yoga.pk}/")
    assert page.locator(".booking-limits input").count() == 3
    assert serious_violations(page) == []
    screenshot(page, f"service-booking-limits-{language}")
