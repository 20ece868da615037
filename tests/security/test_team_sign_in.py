"""The owner's password cannot be guessed at leisure: wrong passwords are counted per address."""

import pytest
from django.core.cache import cache
from django.test import Client as Browser

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
