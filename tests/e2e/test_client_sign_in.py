"""In Chromium, on a phone: a client who booked signs in with the e-mailed code and sees My bookings."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from bookings_app.models import Attendance, Booking, BookingStatus
from tests import factories as make
from tests.support.browser import PHONE, screenshot

CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


@pytest.fixture
def alice(transactional_db):
    """Alice has a massage coming up, went to yoga last week and cancelled a second massage."""
    cache.clear()  # allauth's rate limits count in the cache
    make.business()
    nina = make.staff_member("Nina")
    massage, yoga = make.service("Massage", staff=[nina]), make.service("Yoga", staff=[nina])
    alice = make.client("Alice", email="alice@client.test", time_zone="Europe/Paris")
    today = timezone.localdate()
    for service_, days, fields in [
        (massage, 3, {}),
        (yoga, -6, {"attendance": Attendance.CHECKED_IN}),
        (massage, 10, {"status": BookingStatus.CANCELLED}),
    ]:
        session = make.session(service_, nina, make.local(today + timedelta(days=days), "10:00"))
        Booking.objects.create(client=alice, service=service_, session=session, **fields)
    return alice


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("he", "rtl")])
def test_a_client_signs_in_with_the_emailed_code_and_sees_my_bookings(
    live_server, page_for, alice, language, direction
):
    mail.outbox = []
    page = page_for(viewport=PHONE, language=language)

    page.goto(f"{live_server.url}/")  # the first visit reloads once to tell the server the phone's time zone
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/my/")
    assert "/account/login/code/" in page.url
    assert page.locator("html").get_attribute("dir") == direction
    screenshot(page, f"client-sign-in-{language}")

    page.fill("#id_email", alice.email)
    page.click("button[type=submit].button--primary")
    page.wait_for_url(re.compile(r".*/account/login/code/confirm/.*"))
    screenshot(page, f"client-code-{language}")

    code = CODE.search(mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{live_server.url}/my/")

    assert page.locator("article.card").count() == 3
    assert "Massage" in page.locator("article.card h3").first.inner_text()
    screenshot(page, f"my-bookings-{language}")
