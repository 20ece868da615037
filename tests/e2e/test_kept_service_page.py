"""A service page served from the kept copy looks like the one rendered for the first visitor,
and its forms carry the visitor's own CSRF token: switching language from it works."""

from datetime import date, timedelta

import pytest

from tests import factories as f
from tests.support.browser import PHONE, screenshot, serious_violations

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.fixture
def massage(db):
    f.business(time_zone="Europe/Paris", slot_step_minutes=30)
    nina = f.staff_member("Nina", hours={d: [("09:00", "17:00")] for d in range(7)})
    omar = f.staff_member("Omar", hours={d: [("12:00", "19:00")] for d in range(7)})
    return f.service("Massage", staff=[nina, omar], description="Sixty minutes of calm, oils included.")


def open_service_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("document.cookie.includes('tz=')")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_kept_page_looks_like_the_first_and_its_forms_work(live_server, page_for, massage, language):
    url = f"{live_server.url}{massage.get_absolute_url()}?day={MONDAY.isoformat()}"
    first = page_for(viewport=PHONE, language=language)
    open_service_page(first, url)  # renders the page and keeps it
    kept = page_for(viewport=PHONE, language=language)
    open_service_page(kept, url)

    assert kept.locator("#slots .slot").count() == first.locator("#slots .slot").count() > 0
    assert kept.locator("main").inner_text() == first.locator("main").inner_text()
    assert serious_violations(kept) == []
    screenshot(kept, f"public-service-page-kept-{language}")

    other = "he" if language == "en" else "en"
    kept.locator(f".language-switcher button[value='{other}']").click()
    kept.wait_for_load_state("load")
    assert kept.locator("html").get_attribute("lang") == other, "the switcher's CSRF token was refused"
