"""A feed's address: text/calendar without signing in, 404 once revoked or renewed or for anything
that is not a live token (never a 500), and counted like the other guessable public addresses."""

import pytest
from django.test import Client as Browser
from django.test import override_settings
from django.urls import reverse

from bookings_app.models import CalendarFeed, FeedKind
from bookings_app.services.calendar_feeds import ensure_feed, renew_feed, revoke_feed


def feed_url(feed) -> str:
    return reverse("public:calendar_feed", args=[feed.token])


def test_a_feed_answers_text_calendar_privately_cached_without_a_session(studio):
    response = Browser().get(feed_url(studio.business_feed))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert "sessionid" not in response.cookies
    assert not response.cookies.get("csrftoken")


def test_a_revoked_address_answers_404(studio):
    revoke_feed(feed=studio.ninas_feed)

    assert Browser().get(feed_url(studio.ninas_feed)).status_code == 404


def test_renewing_makes_a_new_address_and_the_old_one_answers_404(studio):
    new = renew_feed(feed=studio.alices_feed)

    assert new.token != studio.alices_feed.token
    assert Browser().get(feed_url(studio.alices_feed)).status_code == 404
    assert Browser().get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(client=studio.alice, revoked_at__isnull=True).get() == new


def test_ensure_feed_gives_back_the_live_feed(studio):
    assert ensure_feed(kind=FeedKind.STAFF, staff=studio.nina) == studio.ninas_feed
    assert ensure_feed(kind=FeedKind.BUSINESS) == studio.business_feed


FUZZ = [
    "x",
    "A" * 43,
    "A" * 5000,
    "é" * 43,
    "..%2F..%2Fetc%2Fpasswd",
    "../../settings",
    "' OR 1=1 --",
    "%F0%9F%93%85" * 12,
    "%2e%2e",
    "token%0d%0aSet-Cookie:x=y",
]


@pytest.mark.parametrize("token", FUZZ)
def test_fuzzed_tokens_answer_404_never_500(studio, token):
    response = Browser(raise_request_exception=False).get(f"/calendar/{token}.ics")

    assert response.status_code == 404


def test_a_null_byte_is_refused_before_the_view_never_500(studio):
    response = Browser(raise_request_exception=False).get("/calendar/" + "%00" * 20 + ".ics")

    assert response.status_code in (400, 404)


def test_a_token_one_character_off_answers_404(studio):
    token = studio.business_feed.token
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert Browser().get(f"/calendar/{wrong}.ics").status_code == 404


def test_fetches_beyond_the_limit_answer_429(studio):
    with override_settings(CALENDAR_FEED_FETCHES="2/h"):
        answers = [Browser().get(feed_url(studio.bobs_feed)).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_unknown_addresses_beyond_the_limit_answer_429(studio):
    with override_settings(CALENDAR_FEED_MISSES="2/h"):
        browser = Browser(REMOTE_ADDR="203.0.113.99")
        answers = [browser.get(f"/calendar/{'Z' * 40}{n}.ics").status_code for n in range(3)]

    assert answers == [404, 404, 429]


def test_a_head_request_is_answered_like_a_get_and_a_post_is_refused(studio):
    url = feed_url(studio.business_feed)

    assert Browser().head(url).status_code == 200
    assert Browser().post(url).status_code == 405
