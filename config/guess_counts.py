"""Wrong guesses counted in the cache (django-ratelimit's fixed windows), for every guessing limit.

The counts live in the cache: Redis in production (``REDIS_URL``), a folder under ``var/``
otherwise. When the cache refuses or times out, ``usage`` raises ``CountsUnavailable`` instead of
the cache's own error, and each guard decides on purpose what that means for it: the team
sign-in refuses a browser it does not know (config.sign_in), gift card codes are still checked
(loyalty.attempts), a client's code request is refused (config.account_urls). None answers 500.
"""

import logging
from collections.abc import Iterable

from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

logger = logging.getLogger("rendez.guesses")

# What a cache call raises when its store is down: Redis refused or timed out; a full or
# unreadable disk for the file cache.
STORE_ERRORS = (RedisError, OSError)


class CountsUnavailable(Exception):
    """The cache that holds the counts did not answer."""


def usage(request: HttpRequest, *, group: str, bucket: str, rate: str, increment: bool) -> dict | None:
    """The count of ``bucket`` in this window, plus one when ``increment``; None while
    ``RATELIMIT_ENABLE`` is off. Raises CountsUnavailable when the cache does not answer."""
    try:
        return get_usage(
            request, group=group, key=lambda group, request: bucket, rate=rate, increment=increment
        )
    except STORE_ERRORS as error:
        raise CountsUnavailable(f"{group}: {type(error).__name__}: {error}") from error


def used_up(usages: Iterable[dict | None]) -> bool:
    """True once any of the counts reached its limit."""
    return any(usage is not None and usage["count"] >= usage["limit"] for usage in usages)
