"""In Chromium on a tablet: Sam checks clients in, undoes a tap and seats a walk-in, without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Attendance, Booking, Business, ServiceKind
from tests import factories
from tests.support.browser import TABLET, screenshot

PORTRAIT = {"width": 768, "height": 1024}


@pytest.fixture
def yoga_now(sam):
    """Sam's yoga class, running now, with alice and bob booked; dana is a known client without a seat."""
    business = factories.business(name="Studio Lumen")
    member = factories.staff_member("Sam")
    member.user = sam
    member.save()
    yoga = factories.service("Yoga Flow", kind=ServiceKind.CLASS, staff=[member], capacity=8)
    now = timezone.now()
    today = timezone.localdate(now, timezone=business.tz)
    start = max(now - timedelta(minutes=10), factories.local(today, "00:05", business.time_zone))
    session = factories.session(yoga, member, start)
    factories.booking(session, factories.client("Alice", last_name="Martin", phone="+33 6 12 34 56 78"))
    factories.booking(session, factories.client("Bob", last_name="Stone"), paid_at=now)
    factories.client("Dana", last_name="Levi", phone="+972 50 123 4567")
    return session


def _settled(page, selector: str) -> None:
    """Wait until htmx has swapped ``selector`` in and wired its buttons (it drops ``htmx-added`` then)."""
    page.wait_for_selector(f"{selector}:not(.htmx-added)")


def _sign_in(page, live_server, sam) -> None:
    page.goto(f"{live_server.url}/staff/")
    page.fill("#id_username", sam.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{live_server.url}/staff/")


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize(("viewport", "shape"), [(TABLET, "landscape"), (PORTRAIT, "portrait")])
def test_sam_checks_in_undoes_and_adds_a_walk_in(
    live_server, page_for, sam, yoga_now, language, viewport, shape
):
    page = page_for(viewport=viewport, language=language)
    _sign_in(page, live_server, sam)
    assert page.locator(".roster-row").count() == 2
    assert page.locator(".session-card--now").count() == 1
    page.evaluate("window.stillTheSamePage = true")
    screenshot(page, f"tablet-today-{shape}-{language}")

    alice = Booking.objects.get(client__first_name="Alice")
    row = f"#booking-{alice.pk}"
    page.click(f"{row} .roster-row__check-in")
    _settled(page, f"{row}.roster-row--checked_in")
    screenshot(page, f"tablet-checked-in-{shape}-{language}")
    page.click(f"{row} button")  # Undo
    _settled(page, f"{row}:not(.roster-row--checked_in)")
    page.click(f"{row} .roster-row__check-in")
    _settled(page, f"{row}.roster-row--checked_in")
    alice.refresh_from_db()
    assert alice.attendance == Attendance.CHECKED_IN

    page.click(".walk-in__open")
    _settled(page, ".walk-in-form")
    page.locator(".walk-in-form input[type=search]").press_sequentially("Dana", delay=30)
    page.wait_for_selector(".client-result")
    screenshot(page, f"tablet-walk-in-{shape}-{language}")
    page.click(".client-result")
    page.wait_for_selector(".roster-row:has-text('Dana Levi').roster-row--checked_in")
    assert page.locator(".roster-row").count() == 3
    assert page.evaluate("window.stillTheSamePage") is True, "the page never reloaded"
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"tablet-after-walk-in-{shape}-{language}")


def test_a_new_walk_in_with_a_missing_email_is_told_so_in_the_form(live_server, page_for, sam, yoga_now):
    page = page_for(viewport=TABLET, language="en")
    _sign_in(page, live_server, sam)
    page.click(".walk-in__open")
    _settled(page, ".walk-in-form")
    page.fill(".walk-in-form input[name=first_name]", "Zoe")
    page.click(".walk-in-form button.button--primary")
    _settled(page, ".walk-in-form:has(.field--invalid)")
    page.fill(".walk-in-form input[name=email]", "zoe@client.test")
    page.click(".walk-in-form button.button--primary")
    page.wait_for_selector(".roster-row:has-text('Zoe').roster-row--checked_in")


def test_the_day_switches_without_a_reload_and_keeps_its_address(live_server, page_for, sam, yoga_now):
    page = page_for(viewport=TABLET, language="en")
    _sign_in(page, live_server, sam)
    page.evaluate("window.stillTheSamePage = true")
    page.click(".day-nav__next")
    page.wait_for_selector(".tablet-day__empty")
    assert "?date=" in page.url
    assert page.evaluate("window.stillTheSamePage") is True


def _later_the_same_day(moment):
    """Two hours after ``moment``, or two hours before when that is already tomorrow in the
    business's time zone (the tablet shows one day)."""
    tz = Business.current().tz
    later = moment + timedelta(hours=2)
    if timezone.localdate(later, timezone=tz) == timezone.localdate(moment, timezone=tz):
        return later
    return moment - timedelta(hours=2)


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_narrows_the_day_to_one_staff_member(live_server, page_for, olivia, yoga_now, language):
    nina = factories.staff_member("Nina")
    pilates = factories.service("Pilates", kind=ServiceKind.CLASS, staff=[nina], capacity=6)
    start = _later_the_same_day(yoga_now.start)
    factories.booking(factories.session(pilates, nina, start), factories.client("Carmen", last_name="Ruiz"))
    page = page_for(viewport=TABLET, language=language)
    page.goto(f"{live_server.url}/staff/")
    page.fill("#id_username", olivia.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.locator(".session-card").count() == 2
    screenshot(page, f"tablet-owner-{language}")
    page.click(f".staff-chips a[href$='staff={nina.pk}']")
    page.wait_for_selector(f".staff-chips a[href$='staff={nina.pk}'][aria-current=true]")
    assert page.locator(".session-card").count() == 1
    assert f"staff={nina.pk}" in page.url
