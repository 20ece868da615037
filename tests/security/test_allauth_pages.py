"""Every URL allauth registers is either a page of the client sign-in by code or not found.

The URLs come from allauth itself (``allauth.urls``), not from Rendez's list, so a page a new
allauth version adds is walked too, and must be added to ``OFFERED`` on purpose to be reachable.
"""

import re

import pytest
from django.test import Client as Browser
from django.urls import URLPattern

from config.account_urls import OFFERED, registered
from tests.factories import make_person

# What each page Rendez offers answers someone who is not signed in.
OFFERED_ANSWERS = {
    "account_login": 200,
    "account_request_login_code": 200,
    "account_confirm_login_code": 302,  # no code pending: back to asking for one
    "account_logout": 302,
}


def example_path(prefix: str, pattern: URLPattern) -> str:
    """A concrete path for ``pattern``, its arguments filled with a harmless word."""
    route = prefix + str(pattern.pattern)
    route = re.sub(r"<(?:\w+:)?\w+>", "zz", route)  # path("…/<key>/")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "zz", route).lstrip("^").rstrip("$")  # re_path(r"^…(?P<key>…)/$")
    return "/account/" + route.replace("\\", "")


def test_it_knows_every_page_it_offers_and_allauth_still_has_them():
    names = {pattern.name for _, pattern in registered()}

    assert set(OFFERED) == set(OFFERED_ANSWERS)
    assert set(OFFERED) <= names
    assert len(names - set(OFFERED)) >= 8  # sign-up, passwords, e-mail addresses … all walked below


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "client", "owner"])
def test_it_answers_not_found_on_every_allauth_page_it_does_not_offer(who):
    browser = Browser()
    if who != "anonymous":
        role = "Owner" if who == "owner" else None
        browser.force_login(make_person(f"{who}@rendez.test", who.title(), role, password=None))
    problems = []
    for prefix, pattern in registered():
        if pattern.name in OFFERED:
            continue
        path = example_path(prefix, pattern)
        for method in ("get", "post"):
            status = getattr(browser, method)(path).status_code
            if status != 404:
                problems.append(f"{who} {method.upper()} {path} ({pattern.name}) → {status}, expected 404")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_it_answers_on_every_allauth_page_it_offers():
    for prefix, pattern in registered():
        if pattern.name in OFFERED:
            response = Browser().get(example_path(prefix, pattern))
            assert response.status_code == OFFERED_ANSWERS[pattern.name], pattern.name
