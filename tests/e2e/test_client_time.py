"""In Chromium with the phone's time zone emulated: the service page and My bookings show a class
at the same local time, the one the client expects where they are."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from django.utils import timezone

from bookings_app.models import ServiceKind
from bookings_app.web.accounts import user_for_client
from tests import factories as make
from tests.support.browser import PHONE, screenshot

DAY = timezone.localdate() + timedelta(days=3)


@pytest.fixture
def alices_yoga(db):
    """Yoga at 18:30 Paris time, booked by Alice, whose stored zone is Paris."""
    make.business(time_zone="Europe/Paris")
    nina = make.staff_member("Nina")
    yoga = make.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, duration_minutes=45)
    session = make.session(yoga, nina, make.local(DAY, "18:30"))
    alice = make.client("Alice", time_zone="Europe/Paris")
    return make.booking(session, alice)


@pytest.mark.parametrize(("zone", "expected"), [("Asia/Jerusalem", "19:30"), ("America/New_York", "12:30")])
def test_a_client_abroad_sees_the_same_local_time_on_every_page(
    live_server, browser, alices_yoga, zone, expected
):
    context = browser.new_context(
        viewport=PHONE, locale="en", timezone_id=zone, extra_http_headers={"Accept-Language": "en"}
    )
    django_client = DjangoClient()
    django_client.force_login(user_for_client(alices_yoga.client))
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{alices_yoga.service.get_absolute_url()}")
        page.wait_for_function("document.cookie.includes('tz=')")
        page.wait_for_selector(".session-row")
        on_service_page = page.locator(".session-row time").first.inner_text()
        screenshot(page, f"client-time-service-{zone.replace('/', '-')}")

        page.goto(f"{live_server.url}/my/")
        in_my_bookings = page.locator(".card p").first.inner_text()
        screenshot(page, f"client-time-my-bookings-{zone.replace('/', '-')}")
    finally:
        context.close()

    assert on_service_page.strip("\u2066\u2069").startswith(expected)
    assert expected in in_my_bookings
