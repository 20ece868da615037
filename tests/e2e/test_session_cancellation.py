"""Nina is ill: on the tablet-sized dashboard, Olivia opens Thursday's yoga class in the
calendar, writes a word to the clients and cancels it. In English and in Hebrew, with axe-core
on the panel before and after."""

import pytest
from django.urls import reverse

from bookings_app.models import Booking, BookingStatus, OutgoingEmail, SessionStatus
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page
from tests.support.full_class import fill_thursday, thursday_yoga


@pytest.fixture
def thursday(db, handed_over):
    yoga, session = thursday_yoga()
    fill_thursday(yoga, session)
    return session


DONE = {"en": "Session cancelled. 3 bookings were cancelled.", "he": "המפגש בוטל. 3 הזמנות בוטלו."}


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_cancels_a_class_and_its_clients_are_told(live_server, page_for, olivia, thursday, language):
    page = signed_in_page(page_for, live_server, olivia, language, TABLET)
    page.goto(live_server.url + reverse("dashboard:calendar_session", args=[thursday.pk]))
    page.locator(".panel__cancel summary").click()
    page.locator(".panel__cancel textarea").fill("Nina is ill — we are sorry.")
    assert serious_violations(page) == []
    screenshot(page, f"session-cancel-form-{language}")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".panel__cancel button[type=submit]").click()
    page.locator(".message--success").wait_for()

    assert DONE[language] in page.locator(".message--success").inner_text()
    assert serious_violations(page) == []
    screenshot(page, f"session-cancel-done-{language}")
    thursday.refresh_from_db()
    assert thursday.status == SessionStatus.CANCELLED
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 3
    assert OutgoingEmail.objects.filter(kind="cancellation").count() == 3
