"""On her phone, Dora finds a full pottery course and joins its waitlist: every date of the course
is listed, in English and in Hebrew, with axe-core on each page."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from bookings_app.models import ServiceKind, WaitlistEntry
from bookings_app.services.bookings import book_course
from tests import factories as f
from tests.support.browser import PHONE, screenshot

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - requirements-dev.txt installs it
    Axe = None

SHOTS = Path("/tmp/shots-course-waitlist")
JOIN = {"en": "Join the waitlist", "he": "הצטרפות לרשימת ההמתנה"}


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _serious(page) -> list[str]:
    if Axe is None:
        pytest.fail("axe-playwright-python is missing: pip install -r requirements-dev.txt")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']}: {' '.join(n['target'])}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"]
    ]


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
    assert _serious(page) == []
    _shot(page, f"course-full-{language}")
    page.get_by_role("link", name=JOIN[language]).click()

    assert page.locator(".visit").count() == 3
    page.fill("input[name=first_name]", "Dora")
    page.fill("input[name=last_name]", "Lee")
    page.fill("input[name=email]", "dora@client.test")
    page.get_by_role("button", name=JOIN[language]).click()

    page.wait_for_url(re.compile(r"/waitlist/"))
    assert page.locator(".visit").count() == 3
    assert _serious(page) == []
    _shot(page, f"course-in-line-{language}")
    assert WaitlistEntry.objects.get(client__email="dora@client.test").status == "waiting"
