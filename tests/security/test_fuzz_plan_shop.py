"""The public plan pages under nasty input: the list's search and pager, the buy page's ``next``
and plan id, and forged order tokens. Never a server error, never more than one order, and
never a way off the site."""

import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings_app.models import PlanOrder

NASTY = st.sampled_from(
    [
        "",
        "\x00",
        "-1",
        "99999999999999999999",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\x00",
        "/s/yoga/\r\nLocation: https://evil.example",
        "<script>",
        "😀" * 50,
        "A" * 5000,
    ]
)
VALUE = st.one_of(NASTY, st.text(max_size=200))
FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def alice_browser(world, alice_user) -> Browser:
    browser = Browser(raise_request_exception=True)
    browser.force_login(alice_user)
    return browser


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["q", "page", "next"]), VALUE, max_size=3))
def test_the_plan_list(alice_browser, query):
    query = {key: value.replace("\x00", "") for key, value in query.items()}
    response = alice_browser.get(reverse("public:plan_shop"), query)
    assert response.status_code in (200, 400)
    buy_links = re.findall(rb'href="(/plans/\d+/buy/[^"]*)"', response.content)
    assert all(b"evil.example" not in link for link in buy_links)


@FUZZ
@given(next_page=VALUE)
def test_the_buy_page_keeps_only_a_local_next(alice_browser, world, next_page):
    url = reverse("public:plan_buy", args=[world.values["plan"]])
    before = PlanOrder.objects.count()
    response = alice_browser.post(url, {"next": next_page.replace("\x00", "")})
    assert response.status_code in (303, 409)
    assert PlanOrder.objects.count() - before == 1
    order = PlanOrder.objects.order_by("-pk").first()
    assert order.return_to == "" or (order.return_to.startswith("/") and not order.return_to.startswith("//"))
    assert "evil.example" not in order.return_to or order.return_to.startswith("/s/")


@pytest.mark.parametrize("pk", [0, 999999, 2**40])
def test_an_unknown_plan_is_not_found(alice_browser, pk):
    url = reverse("public:plan_buy", args=[pk])
    assert alice_browser.get(url).status_code == 404
    assert alice_browser.post(url).status_code == 404


@pytest.mark.parametrize("token", ["a\x00b", "\x00", "A" * 5000, "%00", ".."])
def test_every_plan_order_link_answers_a_forged_token_without_a_server_error(alice_browser, token):
    for name in ("public:plan_order", "public:plan_order_pay"):
        url = reverse(name, args=[token])
        assert alice_browser.get(url).status_code < 500, (name, token)
        assert alice_browser.post(url).status_code < 500, (name, token)
