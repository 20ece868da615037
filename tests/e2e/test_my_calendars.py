"""In Chromium, at the front desk's tablet size: Sam opens "My calendars" from the staff area's
navigation, asks for a calendar to be read now, copies his feed address, sees a bad address
refused next to its field, adds his personal calendar and removes his old one after confirming,
in English and Hebrew, with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings_app.models import FeedKind, OutsideCalendar
from bookings_app.services.busy_times import refresh_outside_calendar
from bookings_app.services.calendar_feeds import ensure_feed
from tests import factories
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page
from tests.support.calendar_server import CalendarServer, ics

PAGE = "/staff/my-calendars/"


@pytest.fixture
def calendar_server(settings):
    settings.OUTSIDE_CALENDAR_ALLOW_LOOPBACK = True
    settings.OUTSIDE_CALENDAR_READ_TIMEOUT = 0.5
    server = CalendarServer()
    yield server
    server.close()


@pytest.mark.parametrize("language", ["en", "he"])
def test_sam_manages_his_own_calendars_on_the_tablet(
    live_server, page_for, sam, calendar_server, handed_over, language
):
    factories.business(name="Studio Lumen", time_zone="Europe/Paris", max_advance_days=500)
    nina = factories.staff_member("Nina")
    nina.user = sam
    nina.save()
    feed = ensure_feed(kind=FeedKind.STAFF, staff=nina)
    work = OutsideCalendar.objects.create(
        staff=nina, name="Work (Outlook)", url=calendar_server.serve("/work.ics", ics("work"))
    )
    refresh_outside_calendar(calendar_id=work.pk, now=timezone.now() - timedelta(minutes=5))
    page = signed_in_page(page_for, live_server, sam, language, TABLET)

    page.goto(f"{live_server.url}/staff/")
    page.locator(f".staff-nav a[href='{PAGE}']").click()
    page.wait_for_url(f"{live_server.url}{PAGE}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert page.locator(".outside-calendar").count() == 1
    assert page.locator("#staff-feed").input_value().endswith(f"/calendar/{feed.token}.ics")
    screenshot(page, f"staff-my-calendars-{language}-tablet")
    assert serious_violations(page) == []

    fetch = page.locator(f"#outside-calendar-{work.pk} form[action$='/fetch/'] button")
    fetch.click()
    expect(page.locator(f"#outside-calendar-{work.pk} .badge")).to_be_visible()
    expect(fetch).to_be_disabled()
    assert handed_over["bookings_app.tasks.refresh_outside_calendar"] == [work.pk]
    screenshot(page, f"staff-my-calendars-fetch-queued-{language}-tablet")
    assert serious_violations(page) == []

    copy = page.locator("button[data-copy='staff-feed']")
    copy.click()
    expect(copy).to_have_text(copy.get_attribute("data-copied"))

    page.fill("#id_outside-name", "Family")
    page.fill("#id_outside-url", "ftp://calendar.example/family.ics")
    page.click("#outside-calendars form.inline-form button[type=submit]")
    error = page.locator("#outside-calendars .field--invalid .field-error")
    expect(error).to_contain_text("webcal://")
    screenshot(page, f"staff-my-calendars-refused-{language}-tablet")
    assert serious_violations(page) == []

    page.fill("#id_outside-url", "https://93.184.215.14/calendar/ical/sam/private-5ecret/basic.ics")
    page.click("#outside-calendars form.inline-form button[type=submit]")
    expect(page.locator(".outside-calendar")).to_have_count(2)
    assert "5ecret" not in page.content()
    family = OutsideCalendar.objects.get(name="Family")
    assert family.staff_id == nina.pk and handed_over["bookings_app.tasks.refresh_outside_calendar"]

    page.locator(f"#outside-calendar-{work.pk} .entry__remove").click()
    page.wait_for_url(f"{live_server.url}/staff/my-calendars/{work.pk}/remove/")
    expect(page.locator("main")).to_contain_text("Work (Outlook)")
    screenshot(page, f"staff-my-calendars-remove-{language}-tablet")
    assert serious_violations(page) == []
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{PAGE}")
    expect(page.locator(".outside-calendar")).to_have_count(1)
    assert not OutsideCalendar.objects.filter(pk=work.pk).exists()
    screenshot(page, f"staff-my-calendars-removed-{language}-tablet")
