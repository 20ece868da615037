"""Every POST without a CSRF token is refused, except the few listed below on purpose."""

from fnmatch import fnmatchcase

import pytest
from django.test import Client as Browser
from django.urls import resolve

from .urlwalk import every_page

# Called by machines that cannot hold a CSRF token; each guards itself another way.
ALLOWED_EXEMPTIONS = {
    "automations:unsubscribe": "RFC 8058 one-click unsubscribe; the signed token names the client",
    "anymail:*": "e-mail providers' webhooks; basic-auth secret (ANYMAIL_WEBHOOK_SECRET)",
    "payments:webhook": "payment providers' webhooks; signed (STRIPE_WEBHOOK_SECRET, PAYMENT_TEST_SECRET)",
}


def _exempt(name: str) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in ALLOWED_EXEMPTIONS)


@pytest.mark.parametrize("who", ["olivia", "alice_user", None])
def test_it_refuses_every_post_without_a_csrf_token(world, request, who):
    browser = Browser(enforce_csrf_checks=True, raise_request_exception=False)
    if who:
        browser.force_login(request.getfixturevalue(who))
    accepted = []
    for page in every_page(world.values):
        if _exempt(page.name):
            continue
        response = browser.post(page.url, {"name": "x"})
        if response.status_code != 403:
            accepted.append(f"{page.name} {page.url} → {response.status_code}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)


@pytest.mark.urls("tests.support.postmark_urls")
def test_every_listed_exemption_is_a_view_marked_csrf_exempt(world):
    """A stale entry above would silently exempt a future page of the same name."""
    exempt = [page for page in every_page(world.values) if _exempt(page.name)]
    assert {page.name for page in exempt} >= {"automations:unsubscribe", "anymail:postmark_tracking_webhook"}
    assert all(getattr(resolve(page.url).func, "csrf_exempt", False) for page in exempt)
