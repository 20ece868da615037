"""In Chromium: the owner signs in to the dashboard; the public home reads right to left in Hebrew."""

import pytest

from tests.support.browser import DESKTOP, PHONE, screenshot


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_signs_in_and_reaches_the_dashboard(live_server, page_for, olivia, language):
    page = page_for(viewport=DESKTOP, language=language)
    page.goto(f"{live_server.url}/dashboard/")
    assert "/dashboard/login/" in page.url
    screenshot(page, f"sign-in-{language}")
    page.fill("#id_username", olivia.email)
    page.fill("#id_password", "s3cret-pass!")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    # The name is a bidi isolate (U+2068 … U+2069) inside the translated greeting.
    assert page.locator("h1").inner_text().endswith("\u2068Olivia\u2069")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"dashboard-home-{language}")


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("he", "rtl")])
def test_the_public_home_opens_on_a_phone_in_each_direction(live_server, page_for, db, language, direction):
    page = page_for(viewport=PHONE, language=language)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"public-home-{language}")


def test_the_language_switcher_turns_the_page_to_hebrew(live_server, page_for, db):
    page = page_for(viewport=PHONE, language="en")
    page.goto(f"{live_server.url}/")
    page.click(".language-switcher button[value=he]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
