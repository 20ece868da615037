"""In Chromium, at the front desk's tablet size: the owner opens Calendar feeds, copies an
address, renews a staff member's after confirming, and sees the new address in its place."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bookings_app.models import CalendarFeed, FeedKind
from bookings_app.services.calendar_feeds import ensure_feed
from tests import factories
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_copies_and_renews_a_feed_address(live_server, page_for, olivia, language):
    factories.business(name="Studio Lumen", time_zone="Asia/Jerusalem")
    nina = factories.staff_member("Nina")
    factories.staff_member("Omar")  # no address yet: "Make an address"
    ensure_feed(kind=FeedKind.BUSINESS)
    ninas = ensure_feed(kind=FeedKind.STAFF, staff=nina)
    page = signed_in_page(page_for, live_server, olivia, language, TABLET)

    page.goto(f"{live_server.url}{reverse('dashboard:feeds')}")
    screenshot(page, f"dashboard-calendar-feeds-{language}-tablet")
    assert serious_violations(page) == []
    ninas_address = page.locator(f"#feed-{ninas.pk}")
    assert ninas_address.input_value().endswith(f"/calendar/{ninas.token}.ics")

    copy = page.locator(f"button[data-copy='feed-{ninas.pk}']")
    copy.click()
    expect(copy).to_have_text(copy.get_attribute("data-copied"))

    page.locator(f"a[href='{reverse('dashboard:feed_renew', args=[ninas.pk])}']").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    assert "Nina" in dialog.inner_text()
    screenshot(page, f"dashboard-calendar-feeds-renew-{language}-tablet")
    assert serious_violations(page) == []
    dialog.locator("button[type=submit]").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)  # back on the page, renewed

    renewed = CalendarFeed.objects.get(staff=nina, revoked_at__isnull=True)
    assert renewed.token != ninas.token
    expect(page.locator(f"#feed-{renewed.pk}")).to_have_value(re.compile(rf"/calendar/{renewed.token}\.ics$"))
    assert ninas.token not in page.content()  # the old address is gone from the page
    screenshot(page, f"dashboard-calendar-feeds-renewed-{language}-tablet")
