"""In Chromium: the owner finds a client, labels her, settles and cancels her booking, imports clients."""

import re
from datetime import date, timedelta

import pytest

from bookings_app.models import Booking, BookingStatus, Client, OutgoingEmail
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from tests import factories
from tests.support.browser import DESKTOP, screenshot, sign_in_to_dashboard


@pytest.fixture
def alices_booking(db) -> Booking:
    factories.business()
    nina = factories.staff_member("Nina", hours={d: [("09:00", "17:00")] for d in range(7)})
    massage = factories.service("Massage", staff=[nina])
    factories.client("Bob", last_name="Stone")
    return book_appointment(
        service=massage,
        start=factories.local(date.today() + timedelta(days=3), "10:00"),
        staff=nina,
        details=ClientDetails(
            email="alice@client.test", first_name="Alice", last_name="Martin", phone="+33 6 12"
        ),
    )


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_works_with_clients_and_bookings(
    live_server, page_for, olivia, alices_booking, language, as_sent
):
    page = page_for(viewport=DESKTOP, language=language)
    sign_in_to_dashboard(page, live_server.url, olivia)

    page.goto(f"{live_server.url}/dashboard/clients/")
    assert page.locator("#client-table tbody tr").count() == 2
    page.fill("#id_q", "mart")
    page.wait_for_url(re.compile(r"q=mart"))
    page.wait_for_function("document.querySelectorAll('#client-table tbody tr').length === 1")
    screenshot(page, f"people-clients-{language}")

    page.click("#client-table tbody a")
    page.wait_for_url(re.compile(r"/dashboard/clients/\d+/$"))
    page.fill("#client-labels input[name=name]", "VIP")
    page.click("#client-labels .inline-form button[type=submit]")
    page.locator("#client-labels .label-chip", has_text="VIP").wait_for()
    screenshot(page, f"people-client-{language}")

    page.click(f"a[href='/dashboard/bookings/{alices_booking.pk}/']")
    page.wait_for_url(re.compile(rf"/dashboard/bookings/{alices_booking.pk}/$"))
    page.click("#booking-actions input[name=paid][value='1'] + button")
    page.locator("#booking-actions input[name=paid][value='0']").wait_for(state="attached")
    page.click(f"#booking-actions a[href$='/bookings/{alices_booking.pk}/cancel/']")
    page.locator("#booking-actions .confirm").wait_for()
    screenshot(page, f"people-booking-confirm-{language}")
    page.click("#booking-actions .confirm .button--danger")
    page.locator("#booking-actions .confirm").wait_for(state="detached")
    alices_booking.refresh_from_db()
    assert alices_booking.status == BookingStatus.CANCELLED and alices_booking.paid_at is not None
    assert Client.objects.get(email="alice@client.test").labels.filter(name="VIP").exists()
    screenshot(page, f"people-booking-{language}")

    for email in OutgoingEmail.objects.filter(booking=alices_booking):  # as the workers do, unseen here
        as_sent(email)
    page.click("#booking-detail a[href^='/dashboard/emails/']")
    page.locator("iframe.email-frame").wait_for()
    assert "Alice" in page.frame_locator("iframe.email-frame").locator("body").inner_text()
    screenshot(page, f"people-email-{language}")
    page.goto(f"{live_server.url}/dashboard/bookings/?status=cancelled")
    assert page.locator("#booking-table tbody tr").count() == 1
    screenshot(page, f"people-bookings-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_imports_clients_through_the_preview(
    live_server, page_for, olivia, alices_booking, language
):
    page = page_for(viewport=DESKTOP, language=language)
    sign_in_to_dashboard(page, live_server.url, olivia)
    page.goto(f"{live_server.url}/dashboard/clients/import/")
    csv_file = (
        "email,first_name,last_name,labels\n"
        "alice@client.test,Alice,,VIP\n"
        "zoe@client.test,Zoé,Cohen,Yoga;Morning\n"
        "broken-address,Carl,,\n"
    )
    upload = {"name": "clients.csv", "mimeType": "text/csv", "buffer": csv_file.encode()}
    page.set_input_files("#id_file", upload)
    screenshot(page, f"people-import-{language}")
    page.click(".import-form button[type=submit]")
    page.locator("#import-created").wait_for()
    assert (
        page.inner_text("#import-created"),
        page.inner_text("#import-updated"),
        page.inner_text("#import-rejected"),
    ) == ("1", "1", "1")
    screenshot(page, f"people-import-preview-{language}")
    page.click(".import-confirm button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/clients/")
    assert Client.objects.filter(email="zoe@client.test", last_name="Cohen").exists()
    screenshot(page, f"people-import-done-{language}")
