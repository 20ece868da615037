"""On a phone, tapping a day brings its free times on screen, grouped by part of the day."""

from datetime import date, timedelta

import pytest

from tests import factories as f
from tests.support.browser import PHONE, screenshot

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.fixture
def massage(db):
    f.business(time_zone="Europe/Paris", slot_step_minutes=15)
    nina = f.staff_member("Nina", hours={d: [("08:00", "20:00")] for d in range(7)})
    return f.service("Massage", staff=[nina], description="Sixty minutes of calm, oils included.")


@pytest.mark.parametrize("language", ["en", "he"])
def test_tapping_a_day_brings_its_first_time_into_view(live_server, page_for, massage, language):
    page = page_for(viewport=PHONE, language=language)
    page.goto(f"{live_server.url}{massage.get_absolute_url()}?month={MONDAY:%Y-%m}")
    page.wait_for_function("document.cookie.includes('tz=')")
    page.wait_for_load_state("load")

    page.locator(f"button[name=day][value='{MONDAY.isoformat()}']").click()
    page.wait_for_selector("#slots .slot")
    page.wait_for_function(
        "(() => { const r = document.querySelector('#slots .slot').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )

    assert page.locator("#slots .slots__part").count() == 3
    screenshot(page, f"public-slots-on-screen-{language}")
