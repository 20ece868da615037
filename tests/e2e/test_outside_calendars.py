"""In Chromium: the owner adds a staff member's outside calendar, sees a bad address refused next
to its field, and sees each calendar's last success, last error and busy times to come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import OutsideCalendar
from bookings_app.services.busy_times import refresh_outside_calendar
from tests import factories
from tests.support.browser import DESKTOP, TABLET, screenshot, signed_in_page
from tests.support.calendar_server import CalendarServer, ics


@pytest.fixture
def calendar_server(settings):
    settings.OUTSIDE_CALENDAR_ALLOW_LOOPBACK = True
    settings.OUTSIDE_CALENDAR_READ_TIMEOUT = 0.5
    server = CalendarServer()
    yield server
    server.close()


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["desktop", "tablet"])
def test_the_owner_sees_and_adds_outside_calendars(
    live_server, page_for, olivia, calendar_server, language, viewport
):
    factories.business(time_zone="Europe/Paris", max_advance_days=500)  # reaches work.ics's 2027
    nina = factories.staff_member("Nina")
    work = OutsideCalendar.objects.create(
        staff=nina, name="Work (Outlook)", url=calendar_server.serve("/work.ics", ics("work"))
    )
    refresh_outside_calendar(calendar_id=work.pk, now=timezone.now() - timedelta(minutes=5))
    broken = OutsideCalendar.objects.create(
        staff=nina, name="Personal", url=calendar_server.serve("/personal.ics", ics("work"))
    )
    refresh_outside_calendar(calendar_id=broken.pk, now=timezone.now() - timedelta(hours=1))
    OutsideCalendar.objects.filter(pk=broken.pk).update(url=calendar_server.fail("/personal.ics", 500))
    refresh_outside_calendar(calendar_id=broken.pk)
    page = signed_in_page(page_for, live_server, olivia, language, viewport)

    page.goto(f"{live_server.url}/dashboard/staff/{nina.pk}/#outside-calendars")
    section = page.locator("#outside-calendars")
    assert section.locator(".outside-calendar").count() == 2
    assert "127.0.0.1/…" in section.inner_text() and "/work.ics" not in section.inner_text()

    page.fill("#id_outside-name", "Family")
    page.fill("#id_outside-url", "ftp://calendar.example/family.ics")
    page.click("#outside-calendars form.inline-form button[type=submit]")
    page.wait_for_selector("#outside-calendars .field-error")
    page.locator("#outside-calendars").scroll_into_view_if_needed()
    shot = screenshot(page, f"dashboard-staff-outside-calendars-{language}-{viewport['width']}")
    assert "webcal://" in page.locator("#outside-calendars .field-error").inner_text()
    assert shot.exists()
