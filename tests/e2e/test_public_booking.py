"""In Chromium on a phone: a client books an appointment and a class seat, and cancels a booking."""

from datetime import date, timedelta

import pytest

from bookings_app.models import Booking, BookingStatus, ServiceKind
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.web import links
from tests import factories as f
from tests.support.browser import PHONE, screenshot

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.fixture
def studio(db):
    """Studio Lumen with two staff members, a massage, a yoga class next week and a question."""
    f.business()
    nina, omar = f.staff_member("Nina"), f.staff_member("Omar")
    massage = f.service("Massage", staff=[nina, omar], description="Sixty minutes of calm, oils included.")
    f.question(massage, "Pressure", kind="choice", choices="Soft\nMedium\nFirm")
    f.question(massage, "First visit?", kind="yes_no", required=True)
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12, price="15.00")
    yoga_session = f.session(yoga, nina, f.local(MONDAY, "18:00"))
    f.session(yoga, nina, f.local(MONDAY + timedelta(days=2), "18:00"))
    return massage, yoga, yoga_session


def open_page(page, url: str) -> None:
    """Go to ``url`` and wait out timezone.js's one reload on a first visit."""
    page.goto(url)
    page.wait_for_function("document.cookie.includes('tz=')")
    page.wait_for_load_state("load")


def fill_details(page) -> None:
    page.fill("#id_first_name", "Alice")
    page.fill("#id_last_name", "Durand")
    page.fill("#id_email", "alice@client.test")
    page.fill("#id_phone", "+33 6 12 34 56 78")


def assert_fits_the_phone(page) -> None:
    """Nothing pushes the page sideways at 390 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_client_books_an_appointment_on_a_phone(live_server, page_for, studio, language):
    massage, _, _ = studio
    page = page_for(viewport=PHONE, language=language)
    open_page(page, f"{live_server.url}/")
    assert page.locator(".service-card").count() == 2
    assert_fits_the_phone(page)
    screenshot(page, f"public-services-{language}")
    page.click(f"a[href='{massage.get_absolute_url()}']")
    page.wait_for_selector("#calendar")
    day_button = page.locator(f"button[name=day][value='{MONDAY.isoformat()}']")
    while not day_button.count():
        page.click(".calendar__nav--next")
        page.wait_for_selector(f".calendar__month:has-text('{MONDAY.year}')")
        page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert_fits_the_phone(page)
    screenshot(page, f"public-service-{language}")

    day_button.click()
    page.wait_for_selector("#slots .slot")
    assert day_button.get_attribute("aria-pressed") == "true"
    assert page.url.endswith(f"/s/massage/?day={MONDAY.isoformat()}")
    assert "<html" not in page.locator("#slots").inner_html()
    assert_fits_the_phone(page)
    screenshot(page, f"public-slots-{language}")

    page.locator("#slots .slot").first.click()
    page.wait_for_selector("form.booking-form")
    fill_details(page)
    page.select_option("select[name^=question_]", "Firm")
    page.locator("input[type=radio][value=yes]").check()
    assert_fits_the_phone(page)
    screenshot(page, f"public-form-{language}")

    page.click("form.booking-form button[type=submit]")
    page.wait_for_selector(".confirmation")
    booking = Booking.objects.get(client__email="alice@client.test")
    assert booking.session.start.astimezone(f.local(MONDAY, "09:00").tzinfo).date() == MONDAY
    assert booking.answers == {"Pressure": "Firm", "First visit?": "yes"}
    assert page.locator("a[href$='/booking.ics']").count() == 1
    assert_fits_the_phone(page)
    screenshot(page, f"public-confirmation-{language}")


def test_a_client_books_a_class_seat_on_a_phone(live_server, page_for, studio):
    _, yoga, yoga_session = studio
    page = page_for(viewport=PHONE, language="en")
    open_page(page, f"{live_server.url}{yoga.get_absolute_url()}")
    assert page.locator(".session-row").count() == 2
    assert "12 seats left" in page.locator(".session-row").first.inner_text()
    screenshot(page, "public-class-en")
    page.locator(".session-row").first.locator("a.button").click()
    page.wait_for_selector("form.booking-form")
    fill_details(page)
    page.click("form.booking-form button[type=submit]")
    page.wait_for_selector(".confirmation")
    yoga_session.refresh_from_db()
    assert yoga_session.seats_taken == 1
    assert Booking.objects.get(client__email="alice@client.test").session == yoga_session


def test_a_client_cancels_through_the_manage_link(live_server, page_for, studio):
    massage, _, _ = studio
    booking = book_appointment(
        service=massage,
        start=f.local(MONDAY, "10:00"),
        details=ClientDetails(email="alice@client.test", first_name="Alice", last_name="Durand"),
    )
    page = page_for(viewport=PHONE, language="en")
    open_page(page, f"{live_server.url}{links.manage_path(booking)}")
    screenshot(page, "public-manage-en")
    page.click("text=Cancel booking")
    page.wait_for_selector("text=Cancel this booking?")
    screenshot(page, "public-cancel-en")
    page.click("text=Yes, cancel my booking")
    page.wait_for_selector("text=This booking is cancelled.")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
