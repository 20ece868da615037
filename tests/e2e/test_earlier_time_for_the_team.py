"""Olivia sees, on Bob's booking page, that he waits for an earlier time and was told of 10:00.
English and Hebrew, axe-core, a picture of each."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.services.bookings import book_appointment
from bookings_app.services.changes import cancel_booking
from bookings_app.services.earlier_time_moves import ask_for_earlier_time
from tests import factories as f
from tests.support.browser import TABLET, screenshot, serious_violations, signed_in_page

TITLE = {"en": "Waiting for an earlier time", "he": "ממתין למועד מוקדם יותר"}


@pytest.fixture
def bobs_booking(db):
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    monday = f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))
    alice = book_appointment(service=massage, start=f.local(monday, "10:00"), details=f.racer(1))
    bob = book_appointment(service=massage, start=f.local(monday, "15:00"), details=f.racer(2))
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=alice, by_client=True)
    return bob


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_sees_bob_waits_for_an_earlier_time(live_server, page_for, olivia, bobs_booking, language):
    page = signed_in_page(page_for, live_server, olivia, language, TABLET)
    page.goto(live_server.url + reverse("dashboard:booking", args=[bobs_booking.pk]))
    assert TITLE[language] in page.locator("#earlier-title").inner_text()
    assert serious_violations(page) == []
    screenshot(page, f"earlier-time-team-{language}")
