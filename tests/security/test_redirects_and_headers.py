"""No open redirect after signing in or switching language, and the browser is told to protect pages."""

import pytest
from django.test import Client as Browser

from tests.factories import make_person

EVIL = "https://evil.example/steal"


@pytest.mark.parametrize("next_url", [EVIL, "//evil.example/", "/\\evil.example/", "https:evil.example"])
def test_signing_in_never_sends_the_owner_to_another_site(db, next_url):
    make_person("olga@studio.test", "Olga")
    response = Browser().post(
        f"/dashboard/login/?next={next_url}", {"username": "olga@studio.test", "password": "s3cret-pass!"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("next_url", [EVIL, "//evil.example/"])
def test_switching_language_never_sends_anyone_to_another_site(db, next_url):
    response = Browser().post("/i18n/setlang/", {"language": "he", "next": next_url})
    assert "evil.example" not in response.get("Location", "")


def test_pages_forbid_framing_and_sniffing(world):
    response = Browser().get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
