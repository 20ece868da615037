"""Every page of the dashboard and the tablet, fed strange input by Olivia (owner) and Sam (staff).

The pages come from the URL walk (``urlwalk.every_page``), so a new page is fuzzed without a
row to add. For each one, Hypothesis sends:

- GET with odd values for every query parameter the view reads: the names its module reads
  from ``request.GET`` and the names of every GET form (filters) that points at the page;
- POST with odd values mixed into the fields of every form (and ``hx-post`` form) that points at
  the page, as rendered for Olivia, plus the names its module reads from ``request.POST``.

Whatever comes in, the answer is below 500, and a refused POST (4xx) leaves every table of the
three apps with the rows it had.
"""

import importlib
import inspect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as Browser
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .urlwalk import Page, every_page

TEAM_NAMESPACES = (
    "dashboard",
    "staff",
    "automations_dashboard",
    "automations_tasks",
    "loyalty_dashboard",
    "payments_dashboard",
)
ODD = [
    "",
    " ",
    "²",
    "٣",
    "-1",
    "0",
    "1",
    "9" * 30,
    "-99999999999999999999",
    "1e309",
    "NaN",
    "-inf",
    "0.5",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-13",
    "9999-12-31T23:59",
    "0001-01-01T00:00+14:00",
    "2026-03-29T02:30",
    "on",
    "all",
    "none",
    "../",
    "'",
    "<b>",
    "{client_first_name}",
    "{{ 1 }}",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "😀" * 30,
    "A" * 5_000,
]
VALUE = st.one_of(st.sampled_from(ODD), st.text(max_size=40), st.integers().map(str), st.dates().map(str))
# Each page first takes these in every parameter at once, then a few Hypothesis examples; that
# keeps the module near two minutes on SQLite. A page that turns the person away needs fewer.
SWEEP = [
    "²",
    "9999-12-31",
    "1e309",
    "",
    "٣",
    "-1",
    "0",
    "9" * 30,
    "NaN",
    "0001-01-01",
    "9999-12-31T23:59",
    "0001-01-01T00:00+14:00",
    "2026-02-30",
    "A" * 5_000,
    "'",
]
# The sweep above runs in full on both databases (it holds what PostgreSQL refuses and SQLite
# takes: 30 digits, year 1); Hypothesis's random examples exercise the views' parsing, the same
# code on both, so the SQLite pass spends most of them.
EXAMPLES = 8 if connection.vendor == "sqlite" else 3
EXAMPLES_WHEN_REFUSED = 2
READS = re.compile(r"""request\.(GET|POST)(?:\.get(?:list)?\(\s*|\[)["']([\w-]+)["']""")
# Fields a page posts that its first rendering does not show: the builder shows the trigger and
# the actions once the owner picks them, so a filled-in draft is fuzzed from the start.
DRAFT = {
    "name": "Welcome",
    "app": "bookings",
    "trigger": "first_check_in",
    "has_delay": "1",
    "delay_amount": "2",
    "delay_unit": "hours",
    "delay_direction": "after",
    "frequency": "every_time",
    "frequency_days": "",
    "services": "",
    "c-0-0-field": "visits",
    "c-0-0-operator": "gt",
    "c-0-0-value": "3",
    "a-0-kind": "email_client",
    "a-0-subject": "Welcome {client_first_name}!",
    "a-0-body": "Hello.",
    "action_index": "0",
    "op": "save",
}
MORE_FIELDS = {
    "automations_dashboard:build": DRAFT,
    "automations_dashboard:edit": DRAFT,
    "automations_dashboard:email_preview": DRAFT,
    "automations_dashboard:email_test": DRAFT,
}


# --- What each page reads -------------------------------------------------------------------------


@dataclass
class Reads:
    """The parameter names one URL reads, with the value its form shows (kept to stay near valid)."""

    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    """The forms of a page: (method, target, {field name: shown value})."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            target = attrs.get("hx-post") or attrs.get("action") or ""
            method = "post" if attrs.get("hx-post") else (attrs.get("method") or "get").lower()
            self._fields = {}
            self.forms.append((method, target, self._fields))
        elif self._fields is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._fields.setdefault(attrs["name"], attrs.get("value") or "")
            else:
                self._fields.setdefault(attrs["name"], "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._fields[attrs["name"]] = ""
        elif tag == "select":
            self._select = attrs["name"]
            self._fields[attrs["name"]] = ""
        elif tag == "option" and self._select and ("selected" in attrs or not self._fields[self._select]):
            self._fields[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def _names_in_source(view: str) -> dict[str, set[str]]:
    """``request.GET.get("x")`` / ``request.POST["y"]`` names read in the view's module."""
    module = importlib.import_module(view.rsplit(".", 1)[0])
    found: dict[str, set[str]] = {"GET": set(), "POST": set()}
    for method, name in READS.findall(inspect.getsource(module)):
        found[method].add(name)
    return found


def _reads_of_every_page(pages: list[Page], browser: Browser) -> dict[str, Reads]:
    """Read by URL name: the forms of every page as Olivia sees them, and the views' own reads."""
    reads = {page.name: Reads() for page in pages}
    for page in pages:
        source = _names_in_source(page.view)
        reads[page.name].query.update(dict.fromkeys(source["GET"], ""))
        reads[page.name].form.update(dict.fromkeys(source["POST"], ""))
        reads[page.name].form.update(MORE_FIELDS.get(page.name, {}))
        response = browser.get(page.url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for method, target, fields in parser.forms:
            name = _url_name(target) if target else page.name
            if name in reads:
                wanted = reads[name].form if method == "post" else reads[name].query
                wanted.update({key: value for key, value in fields.items() if key != "csrfmiddlewaretoken"})
    return reads


_READS: dict[str, Reads] = {}


@pytest.fixture
def team_pages(world, olivia) -> dict[str, Page]:
    pages = [page for page in every_page(world.values) if page.name.split(":")[0] in TEAM_NAMESPACES]
    if not _READS:  # names only: the same for every test, so read once per run
        browser = Browser(raise_request_exception=False)
        browser.force_login(olivia)
        _READS.update(_reads_of_every_page(pages, browser))
    return {page.name: page for page in pages}


def _team_page_names() -> list[str]:
    """Collected before the database exists: the names from the resolver, arguments unfilled."""
    from django.urls import get_resolver

    from .urlwalk import _patterns

    return sorted(
        {
            f"{namespace}:{pattern.name}"
            for namespace, pattern in _patterns(get_resolver().url_patterns)
            if namespace in TEAM_NAMESPACES and pattern.name
        }
    )


# --- Nothing half-written -----------------------------------------------------------------------------


def _row_counts() -> tuple[int, ...]:
    """Rows of every table of the three apps, in one query."""
    tables = [
        model._meta.db_table
        for label in ("bookings_app", "automations", "loyalty")
        for model in apps.get_app_config(label).get_models()
    ]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def _mixed(shown: dict[str, str]) -> st.SearchStrategy[dict]:
    """Either one field takes an odd value and the others keep what their form shows (to get past
    the first check), or each field keeps its value or takes an odd one."""
    if not shown:
        return st.just({})
    one_odd = st.tuples(st.sampled_from(sorted(shown)), VALUE).map(lambda odd: {**shown, odd[0]: odd[1]})
    each = st.fixed_dictionaries({name: st.one_of(st.just(value), VALUE) for name, value in shown.items()})
    return st.one_of(one_odd, each)


def _answers_without_a_server_error(browser: Browser, page: Page, query: dict, form: dict) -> list[str]:
    """GET with ``query``, POST ``form``: what went wrong, if anything."""
    failures = []
    response = browser.get(page.url, query)
    if response.status_code >= 500:
        failures.append(f"GET {page.url} {query!r} → {response.status_code}")
    before = _row_counts()
    response = browser.post(page.url, form)
    if response.status_code >= 500:
        failures.append(f"POST {page.url} {form!r} → {response.status_code}")
    elif response.status_code >= 400 and _row_counts() != before:
        failures.append(f"POST {page.url} {form!r} → {response.status_code} and rows changed")
    return failures


# --- The fuzz -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _team_page_names())
@pytest.mark.parametrize("who", ["olivia", "sam"])
def test_it_answers_odd_input_on_every_team_page_without_a_server_error(request, team_pages, who, name):
    page, reads = team_pages[name], _READS[name]
    browser = Browser(raise_request_exception=False)
    browser.force_login(request.getfixturevalue(who))
    refused = who == "sam" and all(
        answer.status_code == 403 for answer in (browser.get(page.url), browser.post(page.url))
    )
    sweep = SWEEP[:3] if refused else SWEEP
    failures = []
    for odd in sweep:  # every parameter at once takes the same odd value
        failures += _answers_without_a_server_error(
            browser, page, dict.fromkeys(reads.query, odd), dict.fromkeys(reads.form, odd)
        )
    assert not failures, "\n".join(failures)

    @settings(
        max_examples=EXAMPLES_WHEN_REFUSED if refused else EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=_mixed(reads.query), form=_mixed(reads.form))
    def fuzz(query, form):
        found = _answers_without_a_server_error(browser, page, query, form)
        assert not found, "\n".join(found)

    fuzz()


def test_it_finds_the_forms_it_fuzzes(team_pages):
    """The walk reads forms, not only names from the views: the e-mail settings' formset is there."""
    assert "form-TOTAL_FORMS" in _READS["dashboard:email_settings"].form
    assert {"name", "app", "op", "trigger", "a-0-subject"} <= set(_READS["automations_dashboard:build"].form)
    assert {"staff", "date"} <= set(_READS["dashboard:calendar"].query)
