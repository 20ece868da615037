"""Every URL of the site, walked as anonymous, client A (Alice), client B (Bob), staff (Sam) and
the owner (Olivia), each answer compared with the table below.

The objects in URLs are Bob's, so Alice is the client who changes an id to reach someone
else's booking, points or gift card. Roles that must be kept out are also tried with a POST,
so a form handler cannot let them change what its page hides.
"""

from fnmatch import fnmatchcase

import pytest
from django.test import Client as Browser
from django.urls import reverse

from .urlwalk import Page, every_page

OK, LOGIN, DENIED, ANY = "ok", "login", "denied", "any"
ROLES = ("anonymous", "alice", "bob", "sam", "olivia")


def _roles(anonymous: str, alice: str, bob: str, sam: str, olivia: str) -> dict[str, str]:
    return dict(zip(ROLES, (anonymous, alice, bob, sam, olivia), strict=True))


OWNER_ONLY = _roles(LOGIN, DENIED, DENIED, DENIED, OK)
TEAM = _roles(LOGIN, DENIED, DENIED, OK, OK)
BOBS_OWN = _roles(LOGIN, DENIED, OK, DENIED, DENIED)
SIGNED_IN = _roles(LOGIN, OK, OK, OK, OK)
EVERYONE = _roles(OK, OK, OK, OK, OK)
NO_ERROR = _roles(ANY, ANY, ANY, ANY, ANY)
NOBODY = _roles(DENIED, DENIED, DENIED, DENIED, DENIED)

# URL name pattern → expected answer per role; the first matching row wins.
EXPECTED: list[tuple[str, dict[str, str]]] = [
    (
        "dashboard:calendar_session_cancel",
        OWNER_ONLY,
    ),  # POST only: staff read the schedule, the owner cancels
    ("dashboard:calendar*", TEAM),  # staff read the schedule
    ("dashboard:*", OWNER_ONLY),
    # A staff member's own outside calendars (Nina's are Sam's): Olivia, linked to no staff member,
    # is told so on the page and reaches no one's calendar (busy_times/test_my_calendars.py).
    ("staff:my_calendars", TEAM),
    ("staff:my_calendar_remove", _roles(LOGIN, DENIED, DENIED, OK, DENIED)),
    ("staff:*", TEAM),
    ("automations_dashboard:*", OWNER_ONLY),
    ("automations_tasks:*", OWNER_ONLY),
    ("loyalty_dashboard:*", OWNER_ONLY),
    ("payments_dashboard:*", OWNER_ONLY),
    ("payments:webhook", NO_ERROR),  # POST-only, signed; see tests/bookings_app/payments
    ("payments:*", EVERYONE),  # the pay link is a capability: its random token
    ("gift_shop:*", EVERYONE),  # the public gift card page; an order's page by its random token
    ("loyalty:gift_card_pdf", BOBS_OWN),
    ("loyalty:*", SIGNED_IN),
    ("my_bookings", SIGNED_IN),
    ("my_calendar_feed", SIGNED_IN),  # POST only: make or renew one's own address
    ("public:plan_buy", _roles(LOGIN, OK, OK, DENIED, DENIED)),  # clients buy packs; the team has none
    ("my_membership_cancel", BOBS_OWN),  # POST only: cancel one's own membership
    ("public:*", EVERYONE),  # manage links and calendar feeds are capabilities: whoever holds the token
    ("api:*", EVERYONE),
    ("automations:unsubscribe", EVERYONE),
    ("automations:email_*", NO_ERROR),  # tracking pixel and links, here with a forged token
    ("anymail:*", NO_ERROR),  # POST-only webhooks; see test_webhooks.py
    ("account_login", NO_ERROR),  # allauth's sign-in by code
    ("account_*_login_code", NO_ERROR),
    ("account_logout", NO_ERROR),
    ("account_*", NOBODY),  # every other allauth page is not offered (config/account_urls.py)
    ("healthz", EVERYONE),
    ("favicon", EVERYONE),
    ("set_language", NO_ERROR),
    ("login", NO_ERROR),
    ("logout", NO_ERROR),
    ("after_login", NO_ERROR),
]


def _expected(page: Page) -> dict[str, str]:
    for pattern, answers in EXPECTED:
        if fnmatchcase(page.name, pattern):
            return answers
    raise AssertionError(
        f"no expected answers for {page.name} ({page.url}, {page.view}): "
        f"add a row to EXPECTED in tests/security/test_url_walk.py"
    )


def _to_login(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and ("/login/" in location or "/account/login" in location)


def _problem(expected: str, response, method: str) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if method == "GET" and status == 405 and expected != ANY:
        return None  # a POST-only page; the POST walk below checks who may send it
    if expected == OK and (status in (401, 403) or _to_login(response)):
        return f"{status}, expected access"
    if expected == LOGIN and not _to_login(response):
        return f"{status}, expected a redirect to sign in"
    if expected == DENIED and status not in (403, 404, 405):
        return f"{status} {response.get('Location', '')}, expected 403 or 404"
    return None


# Webhooks answer the same whoever calls: walked once, anonymously.
SAME_FOR_EVERYONE = ("anymail:*", "payments:webhook")


@pytest.fixture
def people(olivia, sam, alice_user, bob_user) -> dict:
    return {"anonymous": None, "alice": alice_user, "bob": bob_user, "sam": sam, "olivia": olivia}


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_every_url_of_the_site_as_the_table_says(world, people, role):
    pages = every_page(world.values)
    assert len(pages) > 60
    browser = Browser(raise_request_exception=False)
    if people[role]:
        browser.force_login(people[role])
    problems = []
    for page in pages:
        if role != "anonymous" and any(fnmatchcase(page.name, name) for name in SAME_FOR_EVERYONE):
            continue
        expected = _expected(page)[role]
        for method in ("GET", "POST") if expected in (LOGIN, DENIED) else ("GET",):
            response = browser.get(page.url) if method == "GET" else browser.post(page.url, {})
            problem = _problem(expected, response, method)
            if problem:
                problems.append(f"{role} {method} {page.name} {page.url} → {problem}")
    assert not problems, "\n".join(problems)


def test_it_keeps_the_admin_for_the_owner(world, olivia, sam, alice_user):
    """The admin is checked at its door only: its own pages are Django's."""
    browser = Browser()
    index = reverse("admin:index")
    for person in (None, alice_user, sam):
        browser.logout()
        if person:
            browser.force_login(person)
        response = browser.get(index)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], person
    browser.force_login(olivia)
    assert browser.get(index).status_code in (200, 302)
