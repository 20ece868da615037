"""axe-core in Chromium on every page the URL walk knows, as a visitor, a client, a team member and
the owner, in English and Hebrew: no serious or critical violation.

Which pages a person may open is the URL walk's business (tests/security); here each page that
answers them a whole HTML document is opened in the browser and checked. Answers that are only
meant for htmx (search results, a counter) are listed in FRAGMENTS; any other page that answers
a bare fragment fails, since a person who opens its address would see a page without a head.
"""

import os

import pytest
from django.conf import settings
from django.test import Client as Browser

from tests.security.urlwalk import every_page
from tests.support.browser import DESKTOP, PHONE, TABLET
from tests.support.url_world import WALK_PEOPLE, World, build_world, walk_person

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # CI installs requirements-dev.txt; a local checkout may not have it yet
    Axe = None

SERIOUS = {"serious", "critical"}
NOT_PAGES = ("anymail:", "automations:email_")  # webhooks and tracking links, not pages
FRAGMENTS = {  # htmx answers inside a page, never an address a person opens
    "dashboard:calendar_clients",
    "dashboard:requests_count",
    "staff:walk_in",
    "staff:client_search",
    "loyalty_dashboard:export_status",
    "loyalty_dashboard:client_search",
}
ROLES = {  # who signs in (one of the walk's people), and the screen they use
    "visitor": (None, PHONE),
    "client": ("bob_user", PHONE),
    "staff": ("sam", TABLET),
    "owner": ("olivia", DESKTOP),
}


@pytest.fixture
def world(db) -> World:
    """The URL walk's world, the one tests/security walks."""
    return build_world(**{name: walk_person(name) for name in WALK_PEOPLE})


@pytest.fixture(scope="module")
def axe(browser):
    """axe-core and its options: its default rules plus the experimental ones (the issue's audit
    found label-content-name-mismatch among them)."""
    if Axe is None:
        message = "axe-playwright-python is missing: pip install -r requirements-dev.txt"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    axe = Axe()
    page = browser.new_page()
    page.evaluate(axe.axe_script)
    experimental = page.evaluate("axe.getRules(['experimental']).map(rule => rule.ruleId)")
    page.close()
    assert "label-content-name-mismatch" in experimental
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": True} for rule in experimental}}
    return axe, options


def _pages_for(person, values: dict) -> tuple[list[str], list[str]]:
    """The addresses that answer this person a whole HTML page, and the bare fragments found."""
    client = Browser(raise_request_exception=False)
    if person:
        client.force_login(person)
    pages, fragments = [], []
    for page in every_page(values):
        if page.name.startswith(NOT_PAGES) or page.name == "logout":
            continue
        response = client.get(page.url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if response.content.decode().lstrip()[:15].lower() == "<!doctype html>":
            pages.append(page.url)
        elif page.name not in FRAGMENTS:
            fragments.append(f"{page.name} {page.url}")
    return pages, fragments


def _signed_in_context(browser, live_server, person, viewport: dict, language: str):
    context = browser.new_context(
        viewport=viewport, locale=language, extra_http_headers={"Accept-Language": language}
    )
    context.set_default_timeout(15_000)
    if person:
        session = Browser()
        session.force_login(person)
        cookie = session.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def _serious_violations(axe, page) -> list[str]:
    engine, options = axe
    results = engine.run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['impact']} {violation['id']}: {' '.join(node['target'])} "
                f"{node['html'][:160]} ({node.get('failureSummary', '').splitlines()[-1].strip()})"
            )
    return found


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("role", ROLES)
def test_it_has_no_serious_accessibility_violation_on_any_page(
    live_server,
    browser,
    axe,
    world,
    role,
    language,
):
    name, viewport = ROLES[role]
    person = world.people[name] if name else None
    pages, fragments = _pages_for(person, world.values)
    assert not fragments, f"opened as a page, these answer a bare fragment: {fragments}"
    assert len(pages) >= 5
    context = _signed_in_context(browser, live_server, person, viewport, language)
    problems = []
    try:
        page = context.new_page()
        for url in pages:
            page.goto(f"{live_server.url}{url}")
            assert page.locator("html").get_attribute("lang") == language, f"{url} is not in {language}"
            problems += [f"{role} {language} {url}: {problem}" for problem in _serious_violations(axe, page)]
    finally:
        context.close()
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)
