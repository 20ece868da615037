"""In Chromium: the owner builds a class with a weekly schedule and a staff member's split day."""

import pytest

from bookings_app.models import Service, Session, WorkingHours
from tests import factories
from tests.support.browser import DESKTOP, screenshot


def _sign_in(page, live_server, owner) -> None:
    page.goto(f"{live_server.url}/dashboard/login/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{live_server.url}/dashboard/")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_creates_a_class_and_its_weekly_schedule(live_server, page_for, olivia, language):
    factories.business(max_advance_days=60)
    nina = factories.staff_member("Nina")
    factories.service("Massage", staff=[nina])
    factories.service("Old workshop", is_online=False)
    page = page_for(viewport=DESKTOP, language=language)
    _sign_in(page, live_server, olivia)

    page.goto(f"{live_server.url}/dashboard/services/")
    screenshot(page, f"dashboard-services-list-{language}")
    page.click("a[href='/dashboard/services/new/']")
    page.click("a[href='?kind=class']")
    page.fill("#id_name", "Evening yoga")
    page.fill("#id_capacity", "12")
    page.check(f"input[name=staff][value='{nina.pk}']")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/dashboard/services/*/?tab=schedule")
    yoga = Service.objects.get(name="Evening yoga")

    first = factories.next_weekday(1)
    page.check("input[name=weekdays][value=TU]")
    page.check("input[name=weekdays][value=TH]")
    page.fill("#id_start_time", "18:30")
    page.fill("#id_starts_on", first.isoformat())
    page.fill("#id_count", "6")
    page.select_option("#id_staff", str(nina.pk))
    page.click("form.rule-form button[type=submit]")
    page.wait_for_selector(".message--success")
    assert Session.objects.filter(service=yoga).count() == 6
    assert page.locator(".session-table li").count() == 6
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"dashboard-service-schedule-{language}")

    page.click(".tabs__tab[href='?tab=details']")
    page.wait_for_selector("#id_duration_minutes")
    assert "tab=details" in page.url
    screenshot(page, f"dashboard-service-details-{language}")
    page.click(".tabs__tab[href='?tab=questions']")
    page.wait_for_selector("input[name='questions-0-label']")
    screenshot(page, f"dashboard-service-questions-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_sets_a_split_day_in_the_working_hours(live_server, page_for, olivia, language):
    factories.business()
    nina = factories.staff_member("Nina", hours={0: [("09:00", "17:00")]})
    page = page_for(viewport=DESKTOP, language=language)
    _sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/dashboard/staff/{nina.pk}/")

    tuesday = page.locator(".hours__day").nth(1)
    tuesday.locator(".hours__add").click()
    tuesday.locator(".hours__add").click()
    page.wait_for_function("document.querySelectorAll('input[name=day-1-start]').length === 2")
    starts, ends = tuesday.locator("input[name=day-1-start]"), tuesday.locator("input[name=day-1-end]")
    starts.nth(0).fill("09:00")
    ends.nth(0).fill("12:00")
    starts.nth(1).fill("14:00")
    ends.nth(1).fill("18:00")
    page.locator(".hours__day").nth(0).locator(".interval__remove").click()
    page.wait_for_function("document.querySelectorAll('input[name=day-0-start]').length === 0")
    screenshot(page, f"dashboard-staff-hours-editing-{language}")
    page.click("form.hours button[type=submit]")
    page.wait_for_selector(".message--success")
    hours = list(WorkingHours.objects.filter(staff=nina).values_list("weekday", "start", "end"))
    assert [(day, f"{start:%H:%M}", f"{end:%H:%M}") for day, start, end in hours] == [
        (1, "09:00", "12:00"),
        (1, "14:00", "18:00"),
    ]
    screenshot(page, f"dashboard-staff-hours-{language}")

    page.locator(".hours__day").nth(2).locator(".hours__add").click()
    page.wait_for_selector("input[name=day-2-start]")
    page.fill("input[name=day-2-start]", "15:00")
    page.fill("input[name=day-2-end]", "10:00")
    page.click("form.hours button[type=submit]")
    page.wait_for_selector(".hours__day--invalid")
    screenshot(page, f"dashboard-staff-hours-error-{language}")

    page.goto(f"{live_server.url}/dashboard/staff/")
    screenshot(page, f"dashboard-staff-list-{language}")
