"""Public forms and the API, fed strange input: NULs, huge strings, unicode, negative and huge
numbers, impossible dates. Whatever comes in, the answer is never a server error."""

from urllib.parse import urlencode

import pytest
from django.test import Client as Browser
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings_app.models import Question

from .urlwalk import every_page

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "-1",
        "0",
        "-99999999999999999999",
        "99999999999999999999",
        "1e309",
        "NaN",
        "2026-02-30",
        "2026-13-01",
        "0000-00-00",
        "9999-12-31",
        "0001-01-01",
        "2026-03-29T02:30",
        "2026-03-29T02:30+99:00",
        "Europe/Atlantis",
        "../../etc/passwd",
        "%00",
        "' OR 1=1 --",
        "{{ settings.SECRET_KEY }}",
        "{client.__class__}",
        "<script>alert(1)</script>",
        "\u202e\u0645\u0631\u062d\u0628\u0627",
        "😀" * 50,
        "A" * 100_000,
        "1" * 5000,
    ]
)
VALUE = st.one_of(
    NASTY,
    st.text(max_size=200),
    st.integers().map(str),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
)
FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fields(*names: str) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional={name: VALUE for name in names})


def _no_server_error(response, what) -> None:
    assert response.status_code < 500, what


@pytest.fixture
def browser(world) -> Browser:
    return Browser(raise_request_exception=True)


@pytest.fixture
def question_fields(world) -> list[str]:
    """The massage's booking form asks a free-text and a choice question."""
    asked = [
        Question.objects.create(service_id=world.values["service"], label="Anything else?"),
        Question.objects.create(
            service_id=world.values["service"], label="Mat?", kind="choice", choices="Yes\nNo"
        ),
    ]
    return [f"question_{question.pk}" for question in asked]


@FUZZ
@given(query=_fields("day", "month", "staff", "tz", "start"))
def test_the_service_page_and_slot_picker(browser, world, query):
    for name in ("public:service", "public:book"):
        _no_server_error(browser.get(reverse(name, args=[world.values["service_slug"]]), query), query)
    _no_server_error(browser.get(reverse("public:service", args=[world.values["class_slug"]]), query), query)


@FUZZ
@given(
    form=_fields("first_name", "last_name", "email", "phone", "request_key", "gift_card_code"),
    answers=st.lists(VALUE, min_size=2, max_size=2),
    query=_fields("start", "staff", "tz"),
)
def test_the_booking_forms(browser, world, question_fields, form, answers, query):
    form = {**form, **dict(zip(question_fields, answers, strict=False))}
    query_string = urlencode({key: value[:2000] for key, value in query.items()})
    for url in (
        reverse("public:book", args=[world.values["service_slug"]]),
        reverse("public:book_session", args=[world.values["class_slug"], world.values["class_session"]]),
        reverse("public:enrol", args=[world.values["course_slug"]]),
    ):
        _no_server_error(browser.post(f"{url}?{query_string}", form), (url, form, query))


@FUZZ
@given(form=_fields("email", "code", "login"))
def test_the_sign_in_request(browser, form):
    _no_server_error(browser.post("/account/login/code/", form), form)
    _no_server_error(browser.post("/account/login/code/confirm/", form), form)


@FUZZ
@given(form=_fields("start", "staff", "session", "day", "month", "tz", "request_key"), token=VALUE)
def test_manage_cancel_and_reschedule(browser, world, form, token):
    real = world.values["manage_token"]
    for name in ("public:manage", "public:reschedule"):
        _no_server_error(browser.get(reverse(name, args=[real]), form), (name, form))
    _no_server_error(browser.post(reverse("public:reschedule", args=[real]) + "?start=x", form), form)
    if token and "/" not in token:
        for name in ("public:manage", "public:cancel", "public:booking_ics", "public:confirmation"):
            _no_server_error(browser.post(reverse(name, args=[token[:500]]), form), (name, token))


@FUZZ
@given(form=_fields("with", "back", "tz"), token=VALUE)
def test_the_earlier_time_forms_and_link(browser, world, form, token):
    real = world.values["manage_token"]
    for name in ("public:earlier_time_ask", "public:earlier_time_stop"):
        _no_server_error(browser.post(reverse(name, args=[real]), form), (name, form))
    notice = reverse("public:earlier_time", args=[world.values["earlier_token"]])
    _no_server_error(browser.get(notice, form), form)
    _no_server_error(browser.post(notice, form), form)
    if token and "/" not in token:
        for name in ("public:earlier_time", "public:earlier_time_ask", "public:earlier_time_stop"):
            _no_server_error(browser.post(reverse(name, args=[token[:500]]), form), (name, token))


@FUZZ
@given(token=VALUE)
def test_calendar_feed_tokens(browser, world, token):
    real = world.values["feed_token"]
    _no_server_error(browser.get(reverse("public:calendar_feed", args=[real])), real)
    if token and "/" not in token:
        response = browser.get(reverse("public:calendar_feed", args=[token[:5000]]))
        _no_server_error(response, token)
        assert response.status_code in (400, 404, 429), token  # never a feed for a made-up token


@FUZZ
@given(query=_fields("start", "end", "tz", "staff", "kind", "service"), slug=VALUE)
def test_the_api(browser, world, query, slug):
    _no_server_error(browser.get(reverse("api:services"), query), query)
    for slug_key in ("service_slug", "class_slug"):
        url = reverse("api:availability", args=[world.values[slug_key]])
        _no_server_error(browser.get(url, query), query)
    if slug and "/" not in slug:
        _no_server_error(browser.get(reverse("api:availability", args=[slug[:200]]), query), slug)


@pytest.mark.parametrize("token", ["a\x00b", "\x00", "1:" + "A" * 5000, "%00", "..", "x:y:z"])
def test_every_link_token_url_answers_a_forged_token_without_a_server_error(browser, token):
    for name in (
        "public:confirmation",
        "public:manage",
        "public:booking_ics",
        "public:cancel",
        "public:reschedule",
        "public:calendar_feed",
        "public:earlier_time",
        "public:earlier_time_ask",
        "public:earlier_time_stop",
        "automations:unsubscribe",
        "automations:email_opened",
        "automations:email_clicked",
    ):
        url = reverse(name, args=[token])
        _no_server_error(browser.get(url), (name, token))
        _no_server_error(browser.post(url), (name, token))


QUERY_TRICKS = [
    {"q": "\x00", "page": "\x00"},
    {
        "q": "A" * 20_000,
        "page": "-1",
        "day": "2026-02-30",
        "month": "2026-13",
        "week": "-99999999999999999999",
        "start": "0000-00-00",
        "end": "9999-12-31",
        "staff": "-1",
        "service": "1e309",
        "status": "<b>",
        "sort": "'",
    },
    {
        "page": "99999999999999999999",
        "day": "\u202e",
        "view": "../",
        "kind": "😀",
        "client": "0",
        "tz": "Mars/Base",
    },
]


@pytest.mark.parametrize("who", ["olivia", "bob_user"])
def test_every_page_answers_strange_query_parameters_without_a_server_error(browser, world, request, who):
    browser.force_login(request.getfixturevalue(who))
    browser.raise_request_exception = False
    errors = []
    for page in every_page(world.values):
        for query in QUERY_TRICKS:
            response = browser.get(page.url, query)
            if response.status_code >= 500:
                errors.append(f"{page.name} {page.url} {sorted(query)} → {response.status_code}")
    assert not errors, "\n".join(errors)


def test_a_nul_character_anywhere_in_a_request_is_refused_with_a_400(browser, world):
    assert browser.get("/api/availability/a%00b").status_code == 400
    assert browser.get("/dashboard/", {"q": "\x00"}).status_code == 400
    assert (
        browser.post(
            "/account/login/code/",
            urlencode({"email": "a\x00@b.c"}),
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 400
    )


def _embedded(url: str) -> str:
    return "/embed/" + url.lstrip("/")


@FUZZ
@given(
    form=_fields("first_name", "last_name", "email", "phone", "request_key", "gift_card_code"),
    token=VALUE,
    query=_fields("start", "staff", "tz", "day", "month"),
)
def test_the_embedded_booking_forms_with_no_cookie(world, form, token, query):
    """The embedded flow (docs/embedding.md), as a cross-site frame sends it: no cookie, CSRF
    enforced; a made-up token is a 403, a real one with junk fields never a server error."""
    browser = Browser(enforce_csrf_checks=True, raise_request_exception=True)
    query_string = urlencode({key: value[:2000] for key, value in query.items()})
    for url in (
        _embedded(reverse("public:service", args=[world.values["service_slug"]])),
        _embedded(reverse("public:book", args=[world.values["service_slug"]])),
        _embedded(reverse("public:enrol", args=[world.values["course_slug"]])),
    ):
        _no_server_error(browser.get(f"{url}?{query_string}"), (url, query))
    url = _embedded(reverse("public:enrol", args=[world.values["course_slug"]]))
    forged = browser.post(url, {**form, "embed_form": token[:5000]})
    assert forged.status_code == 403, token
    page = browser.get(url).content.decode()
    real = page.split('name="embed_form" value="', 1)[1].split('"', 1)[0]
    browser.cookies.clear()
    _no_server_error(browser.post(url, {**form, "embed_form": real}), form)
