"""In Chromium: a client requests a slot on a phone, the owner sees the count change, reschedules
the request with a message, and the client's page shows the new time, confirmed."""

from datetime import date, datetime, timedelta

import pytest

from bookings_app.models import Booking, BookingStatus, OutgoingEmail
from bookings_app.web import links
from tests import factories as f
from tests.support.browser import DESKTOP, PHONE, screenshot

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.fixture
def therapy(db):
    f.business()
    nina = f.staff_member("Nina", hours={d: [("09:00", "17:00")] for d in range(7)})
    return f.service("Therapy", staff=[nina], requires_approval=True, description="Fifty quiet minutes.")


def _open_public(page, url: str) -> None:
    """Go to ``url`` and wait out timezone.js's one reload on a first visit."""
    page.goto(url)
    page.wait_for_function("document.cookie.includes('tz=')")
    page.wait_for_load_state("load")


def _sign_in(page, base_url: str, owner) -> None:
    page.goto(f"{base_url}/dashboard/login/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{base_url}/dashboard/")


def _client_requests_the_first_slot(page, base_url: str, therapy, language: str) -> Booking:
    _open_public(page, f"{base_url}{therapy.get_absolute_url()}?day={MONDAY.isoformat()}")
    page.wait_for_selector("#slots .slot")
    page.locator("#slots .slot").first.click()
    page.wait_for_selector("form.booking-form")
    button = page.locator("form.booking-form button[type=submit]")
    if language == "en":
        assert button.inner_text().strip() == "Request to book"
    page.fill("#id_first_name", "Alice")
    page.fill("#id_last_name", "Durand")
    page.fill("#id_email", "alice@client.test")
    button.click()
    page.wait_for_selector(".confirmation")
    if language == "en":
        assert "Request sent — waiting for approval" in page.inner_text(".confirmation")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"requests-client-sent-{language}")
    return Booking.objects.get(client__email="alice@client.test")


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_request_is_rescheduled_by_the_owner_and_the_client_sees_the_new_time(
    live_server, page_for, olivia, therapy, language, as_sent
):
    owner = page_for(viewport=DESKTOP, language=language)
    _sign_in(owner, live_server.url, olivia)
    owner.wait_for_selector("#requests-count [data-count='0']", state="attached")
    owner.goto(f"{live_server.url}/dashboard/services/{therapy.pk}/?tab=approval")
    assert owner.locator("input[name=requires_approval]").is_checked()
    screenshot(owner, f"requests-approval-tab-{language}")
    owner.goto(f"{live_server.url}/dashboard/")

    phone = page_for(viewport=PHONE, language=language)
    booking = _client_requests_the_first_slot(phone, live_server.url, therapy, language)
    assert booking.status == BookingStatus.REQUESTED
    _open_public(phone, f"{live_server.url}{links.manage_path(booking)}")
    assert phone.locator("#reschedule-title").count() == 0
    assert phone.locator("a[href^='/manage/'][href*='/cancel/']").count() == 1
    screenshot(phone, f"requests-client-pending-{language}")

    # The count changes without a reload: the event every action sends (the 30 s poll is slower).
    owner.evaluate("htmx.trigger(document.body, 'requests-changed')")
    owner.wait_for_selector("#requests-count [data-count='1']")
    assert owner.url == f"{live_server.url}/dashboard/"

    owner.goto(f"{live_server.url}/dashboard/calendar/?view=week&date={MONDAY.isoformat()}")
    owner.wait_for_selector(".calendar-block--pending")
    assert "dashed" in owner.locator(".calendar-block--pending").first.evaluate(
        "block => getComputedStyle(block).borderTopStyle"
    )
    screenshot(owner, f"requests-calendar-{language}")

    owner.click("a[href='/dashboard/requests/']")
    owner.wait_for_selector(f"#request-{booking.pk}")
    screenshot(owner, f"requests-inbox-{language}")

    owner.click(f"#request-{booking.pk} a[href$='/reschedule/']")
    owner.wait_for_selector(f"#request-{booking.pk}-slots .request-slot")
    assert owner.locator(f"#request-{booking.pk} input[name=notify]").is_checked()
    new_start = f.local(MONDAY, "14:00")
    owner.check(f"#request-{booking.pk} input[name=start][value='{new_start.isoformat()}']")
    owner.fill(f"#request-{booking.pk} textarea[name=private_note]", "Moved for the afternoon room")
    owner.fill(f"#request-{booking.pk} textarea[name=message]", "See you at two, in the quiet room.")
    screenshot(owner, f"requests-reschedule-{language}")
    owner.click(f"#request-{booking.pk} .request-form button[type=submit]")
    owner.wait_for_selector(f"#request-{booking.pk}.request--decided")
    owner.wait_for_selector("#requests-count [data-count='0']", state="attached")
    screenshot(owner, f"requests-decided-{language}")

    booking.refresh_from_db()
    assert (booking.status, booking.session.start) == (BookingStatus.CONFIRMED, new_start)
    mail = as_sent(OutgoingEmail.objects.get(booking=booking, kind="confirmation"))
    assert "See you at two" in mail.body_text and "afternoon room" not in mail.body_text

    _open_public(phone, f"{live_server.url}{links.manage_path(booking)}")
    shown_start = phone.get_attribute(".visit__time time", "datetime")
    assert datetime.fromisoformat(shown_start) == new_start  # in the visitor's zone, the same instant
    assert phone.locator(".manage-header .badge--ok").count() == 1
    if language == "en":
        assert "Confirmed" in phone.inner_text(".manage-header")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, f"requests-client-confirmed-{language}")
