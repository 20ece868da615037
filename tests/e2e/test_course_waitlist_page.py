"""On her phone, Dora finds a full pottery course and joins its waitlist: every date of the course
is listed. Then the client holding the place cancels, and Dora opens the offer from her e-mail
and takes the place in every session. In English and in Hebrew, with axe-core on each page."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, OutgoingEmail, ServiceKind, WaitlistEntry
from bookings_app.services.bookings import book_course
from bookings_app.services.changes import cancel_booking
from tests import factories as f
from tests.support.browser import PHONE, screenshot, serious_violations

SHOTS = Path("/tmp/shots-course-waitlist")
JOIN = {"en": "Join the waitlist", "he": "הצטרפות לרשימת ההמתנה"}
TAKE = {"en": "Take the seat", "he": "לתפוס את המקום"}


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def full_pottery():
    f.business()
    omar = f.staff_member("Omar")
    course = f.service("Pottery", kind=ServiceKind.COURSE, staff=[omar], capacity=1, waitlist_enabled=True)
    first = timezone.now() + timedelta(days=5)
    for week in range(3):
        f.session(course, omar, first + timedelta(days=7 * week))
    book_course(service=course, details=f.racer(1))
    return course


@pytest.mark.parametrize("language", ["en", "he"])
def test_dora_joins_the_waitlist_of_a_full_course(live_server, page_for, full_pottery, language):
    page = page_for(viewport=PHONE, language=language)
    page.goto(live_server.url + full_pottery.get_absolute_url())
    assert serious_violations(page) == []
    _shot(page, f"course-full-{language}")
    page.get_by_role("link", name=JOIN[language]).click()

    assert page.locator(".visit").count() == 3
    page.fill("input[name=first_name]", "Dora")
    page.fill("input[name=last_name]", "Lee")
    page.fill("input[name=email]", "dora@client.test")
    page.get_by_role("button", name=JOIN[language]).click()

    page.wait_for_url(re.compile(r"/waitlist/"))
    assert page.locator(".visit").count() == 3
    assert serious_violations(page) == []
    _shot(page, f"course-in-line-{language}")
    assert WaitlistEntry.objects.get(client__email="dora@client.test").status == "waiting"

    cancel_booking(booking=Booking.objects.filter(client__email=f.racer(1).email).first(), by_client=True)
    offer = OutgoingEmail.objects.get(kind="waitlist_offer", to="dora@client.test")
    page.goto(live_server.url + re.search(r"https?://[^/\s]+(/waitlist/\S+)", offer.body_text).group(1))
    assert page.locator(".visit").count() == 3
    assert serious_violations(page) == []
    _shot(page, f"course-offer-{language}")
    page.get_by_role("button", name=TAKE[language]).click()

    page.wait_for_url(re.compile(r"/booked/"))
    doras = Booking.objects.filter(client__email="dora@client.test", status=BookingStatus.CONFIRMED)
    assert doras.count() == 3
    _shot(page, f"course-taken-{language}")
