"""The owner's password cannot be guessed at leisure, and a guesser cannot lock the owner out."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client as Browser
from django.test import override_settings

from config import sign_in
from tests.factories import make_person

SIGN_IN = "/dashboard/login/"


@pytest.fixture(autouse=True)
def no_failures_counted(settings):
    """Failures are counted in the cache; each test starts and ends with none.

    The counts live in fixed windows, each ending at its own moment; a test that ran across
    the end of a 15-minute window saw its count start again (twice on 6 December, on a loaded
    machine). The same guesses in a 1,000-hour window keep the rule and lose the chance.
    """
    settings.TEAM_SIGN_IN_FAILURES = "10/1000h"
    settings.TEAM_SIGN_IN_FAILURES_PER_IP = "30/1000h"
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
    """Signed out as the browser would be, keeping its other cookies.

    The test client's logout drops them all.
    """
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
    assert (
        _sign_in(Browser(), "olga@studio.test", "s3cret-pass!").status_code == 302
    )  # other browsers are not blocked


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


ADMIN_SIGN_IN = "/admin/login/"


def _admin_sign_in(browser: Browser, address: str, password: str):
    return browser.post(ADMIN_SIGN_IN, {"username": address, "password": password, "next": "/admin/"})


@pytest.fixture
def olivia_the_superuser(db):
    """Olivia owns the studio and uses the admin."""
    olivia = make_person("olivia@studio.test", "Olivia")
    olivia.is_staff = olivia.is_superuser = True
    olivia.save(update_fields=["is_staff", "is_superuser"])
    return olivia


def test_it_keeps_the_admin_sign_in_working_for_the_owner(olivia_the_superuser):
    browser = Browser()

    response = _admin_sign_in(browser, "olivia@studio.test", "s3cret-pass!")

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert browser.get("/admin/").status_code == 200
    assert sign_in.DEVICE_COOKIE in response.cookies


def test_the_admin_sign_in_refuses_the_right_password_after_ten_wrong_ones_on_the_dashboard(
    olivia_the_superuser,
):
    _guess_ten_times("olivia@studio.test")
    browser = Browser()

    refused = _admin_sign_in(browser, "olivia@studio.test", "s3cret-pass!")

    assert refused.status_code == 429
    assert "Too many wrong passwords" in refused.content.decode()
    assert browser.get("/dashboard/").status_code == 302  # still sent to sign in


def test_wrong_passwords_on_the_admin_count_like_the_dashboards(olivia_the_superuser):
    guesser = Browser()
    answers = [
        _admin_sign_in(guesser, "olivia@studio.test", f"guess-{attempt}").status_code for attempt in range(20)
    ]

    assert answers[:10] == [200] * 10
    assert set(answers[10:]) == {429}
    assert _sign_in(Browser(), "olivia@studio.test", "s3cret-pass!").status_code == 429


def test_it_lets_nothing_that_checks_a_password_in_while_the_address_is_blocked(olga):
    """Any page that calls Django's authenticate() meets the same guard."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    _guess_ten_times()
    request = RequestFactory().post("/elsewhere/")

    assert authenticate(request, username="olga@studio.test", password="s3cret-pass!") is None


def test_it_counts_only_passwords_that_were_checked(olga):
    browser = Browser()
    for _ in range(12):
        assert _sign_in(browser, "olga@studio.test", "").status_code == 200  # the form asks for a password

    assert _sign_in(browser, "olga@studio.test", "s3cret-pass!").status_code == 302


@override_settings(TEAM_SIGN_IN_FAILURES_PER_IP="5/1000h")
def test_it_blocks_an_address_that_tries_many_team_addresses(olga):
    sprayer = Browser(REMOTE_ADDR="198.51.100.7")
    for attempt in range(5):
        sprayer.post(SIGN_IN, {"username": f"someone{attempt}@studio.test", "password": "guess"})

    assert (
        sprayer.post(SIGN_IN, {"username": "olga@studio.test", "password": "s3cret-pass!"}).status_code == 429
    )
    assert (
        _sign_in(Browser(REMOTE_ADDR="198.51.100.8"), "olga@studio.test", "s3cret-pass!").status_code == 302
    )


@override_settings(TEAM_SIGN_IN_FAILURES_PER_IP="5/1000h", TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_the_proxy_one_sprayer_does_not_block_the_team(olga):
    def behind_proxy(client_address: str) -> Browser:
        return Browser(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client_address)

    for attempt in range(5):
        behind_proxy("198.51.100.7").post(
            SIGN_IN, {"username": f"someone{attempt}@studio.test", "password": "guess"}
        )

    assert _sign_in(behind_proxy("198.51.100.7"), "olga@studio.test", "s3cret-pass!").status_code == 429
    assert _sign_in(behind_proxy("203.0.113.5"), "olga@studio.test", "s3cret-pass!").status_code == 302


def test_a_signed_in_teammate_cannot_make_a_browser_remember_someone_elses_address(olga):
    """Sending the form while signed in redirects without checking it: no device cookie for that address."""
    make_person("sven@studio.test", "Sven")
    browser = Browser()
    _sign_in(browser, "sven@studio.test", "s3cret-pass!")

    response = _sign_in(browser, "olga@studio.test", "not-her-password")

    assert sign_in.DEVICE_COOKIE not in response.cookies
