"""The owner's password cannot be guessed at leisure, and a guesser cannot lock the owner out."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client as Browser

from config import sign_in
from tests.conftest import make_person

SIGN_IN = "/dashboard/login/"


@pytest.fixture(autouse=True)
def no_failures_counted():
    """Failures are counted in the cache; each test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def olga(db):
    return make_person("olga@studio.test", "Olga")


def _sign_in(browser: Browser, address: str, password: str):
    return browser.post(SIGN_IN, {"username": address, "password": password})


def test_it_refuses_even_the_right_password_after_ten_wrong_ones(olga):
    browser = Browser()
    for attempt in range(10):
        assert _sign_in(browser, "olga@studio.test", f"guess-{attempt}").status_code == 200
    refused = _sign_in(browser, "Olga@Studio.test", "s3cret-pass!")
    assert refused.status_code == 429
    assert "Too many wrong passwords" in refused.content.decode()
    assert "_auth_user_id" not in browser.session


def test_it_never_blocks_someone_who_signs_in_with_the_right_password(olga):
    for _ in range(12):
        assert _sign_in(Browser(), "olga@studio.test", "s3cret-pass!").status_code == 302


def test_it_blocks_only_the_guessed_address(olga):
    make_person("sven@studio.test", "Sven")
    browser = Browser()
    for attempt in range(10):
        _sign_in(browser, "olga@studio.test", f"guess-{attempt}")
    assert _sign_in(browser, "sven@studio.test", "s3cret-pass!").status_code == 302


def signed_out(browser: Browser) -> None:
    """Signed out as the browser would be, keeping its other cookies (the test client's logout drops them all)."""
    del browser.cookies[settings.SESSION_COOKIE_NAME]


def _guess_ten_times(address: str = "olga@studio.test") -> None:
    guesser = Browser()
    for attempt in range(10):
        _sign_in(guesser, address, f"guess-{attempt}")


def test_a_guesser_cannot_lock_the_owner_out_of_a_browser_she_signed_in_from(olga):
    her_laptop = Browser()
    assert _sign_in(her_laptop, "olga@studio.test", "s3cret-pass!").status_code == 302
    signed_out(her_laptop)

    _guess_ten_times()

    assert _sign_in(Browser(), "olga@studio.test", "s3cret-pass!").status_code == 429  # a new browser waits
    assert _sign_in(her_laptop, "Olga@studio.test", "s3cret-pass!").status_code == 302


def test_wrong_passwords_from_a_known_browser_are_still_counted_there(olga):
    her_laptop = Browser()
    _sign_in(her_laptop, "olga@studio.test", "s3cret-pass!")
    signed_out(her_laptop)
    for attempt in range(10):
        assert _sign_in(her_laptop, "olga@studio.test", f"typo-{attempt}").status_code == 200

    assert _sign_in(her_laptop, "olga@studio.test", "s3cret-pass!").status_code == 429
    assert _sign_in(Browser(), "olga@studio.test", "s3cret-pass!").status_code == 302  # other browsers are not blocked


def test_a_device_cookie_helps_only_the_addresses_that_signed_in_with_it(olga):
    make_person("sven@studio.test", "Sven")
    front_desk = Browser()
    _sign_in(front_desk, "sven@studio.test", "s3cret-pass!")
    signed_out(front_desk)

    _guess_ten_times("olga@studio.test")

    assert _sign_in(front_desk, "olga@studio.test", "s3cret-pass!").status_code == 429


def test_a_forged_device_cookie_is_ignored(olga):
    _guess_ten_times()
    forger = Browser()
    forger.cookies[sign_in.DEVICE_COOKIE] = '{"id": "x", "addresses": ["olga@studio.test"]}'

    assert _sign_in(forger, "olga@studio.test", "s3cret-pass!").status_code == 429


def test_the_device_cookie_is_http_only_and_long_lived(olga):
    response = _sign_in(Browser(), "olga@studio.test", "s3cret-pass!")

    cookie = response.cookies[sign_in.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
