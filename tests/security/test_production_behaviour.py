"""What visitors get from a production deployment (``DEBUG=false``): the studio's own error
pages with nothing of the code or the settings, Secure cookies, and the security headers.

These tests need the production settings themselves, so they run only in the production pass
(``RENDEZ_TEST_PRODUCTION=1`` with ``DEBUG=false``: see ``tests/security/conftest.py`` and
``.ci/run``), where the rest of ``tests/security`` runs once more under the same settings.
"""

import pytest
from django.conf import settings
from django.test import Client as Browser

from tests.factories import make_person

from .boom_urls import SECRET_DETAIL

pytestmark = pytest.mark.production

LEAKS = ("Traceback", "SECRET_KEY", "DATABASES", "Django Version", "urlpatterns", "Request Method")


def assert_nothing_leaks(body: str) -> None:
    assert not [leak for leak in LEAKS if leak in body]
    assert settings.SECRET_KEY not in body


def test_an_unknown_page_gets_the_studios_own_not_found_page(db):
    response = Browser().get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in body and 'class="card card--narrow error-page"' in body
    assert_nothing_leaks(body)


@pytest.mark.urls("tests.security.boom_urls")
def test_a_failing_page_gets_the_studios_own_error_page_without_the_error(db):
    response = Browser(raise_request_exception=False).get("/boom/")

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert SECRET_DETAIL not in body and "RuntimeError" not in body
    assert_nothing_leaks(body)


def test_a_request_for_another_host_is_refused_without_details(db):
    response = Browser().get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert_nothing_leaks(response.content.decode())


def test_the_session_cookie_is_secure_and_out_of_reach_of_scripts(db):
    make_person("olivia@studio.test", "Olivia")

    response = Browser().post(
        "/dashboard/login/", {"username": "olivia@studio.test", "password": "s3cret-pass!"}, secure=True
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True and session["httponly"] is True and session["samesite"] == "Lax"


def test_the_csrf_cookie_is_secure(db):
    response = Browser().get("/dashboard/login/", secure=True)

    assert response.status_code == 200
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True


def test_pages_over_https_carry_the_security_headers(db):
    response = Browser().get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
