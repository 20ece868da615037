"""The calendar subscription addresses (``/calendar/<token>.ics``): whoever holds the secret
address reads the feed, without signing in; a revoked or unknown address answers 404.

Fetches are counted in the cache like the other guessable public addresses (django-ratelimit's
windows through ``config.guess_counts``): per feed (``CALENDAR_FEED_FETCHES``, a calendar app
polls every few minutes at most) and, for addresses that match no live feed, per client address
(``CALENDAR_FEED_MISSES``); beyond either the answer is 429. When the cache does not answer the
feed is still served, uncounted: the token has 256 random bits.
"""

import hashlib
import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from config import guess_counts
from config.client_address import client_ip

from ...display.calendar_feeds import bookings_feed, sessions_feed
from ...mail.recipients import language_for
from ...models import Business, CalendarFeed, FeedKind
from ...selectors import feed_bookings, feed_sessions, live_feed

GROUP = "bookings.calendar_feed"
logger = logging.getLogger("rendez.guesses")


def _used_up(request: HttpRequest, bucket: str, rate: str) -> bool:
    try:
        usage = guess_counts.usage(request, group=GROUP, bucket=bucket, rate=rate, increment=True)
    except guess_counts.CountsUnavailable as error:
        logger.warning("Calendar feed fetches cannot be counted (%s); answering anyway", error)
        return False
    return guess_counts.used_up([usage]) and usage["count"] > usage["limit"]


def _too_many() -> HttpResponse:
    response = HttpResponse("Too many requests", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "300"
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed's VCALENDAR: text/calendar, cached privately for five minutes."""
    feed = live_feed(token)
    if feed is None:
        if _used_up(request, f"miss:{client_ip(request)}", settings.CALENDAR_FEED_MISSES):
            return _too_many()
        raise Http404
    bucket = "feed:" + hashlib.sha256(feed.token.encode()).hexdigest()[:32]
    if _used_up(request, bucket, settings.CALENDAR_FEED_FETCHES):
        return _too_many()
    business = Business.current()
    with translation.override(language_for(feed.client, business)):
        body = _feed_body(feed, business)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _feed_body(feed: CalendarFeed, business: Business) -> bytes:
    if feed.kind == FeedKind.CLIENT:
        return bookings_feed(feed_bookings(client=feed.client), name=business.name, business=business)
    if feed.kind == FeedKind.STAFF:
        return sessions_feed(
            feed_sessions(staff=feed.staff),
            name=f"{business.name} · {feed.staff.name}",
            client_names=business.feed_client_names,
            private_notes=business.feed_private_notes,
            business=business,
        )
    return sessions_feed(
        feed_sessions(), name=business.name, client_names=True, private_notes=True, business=business
    )
