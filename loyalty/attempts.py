"""Wrong gift card codes, counted per client and per IP address, so nobody can guess a code.

A code has 80 random bits, and each source still gets only ``LOYALTY_CODE_ATTEMPTS``
wrong tries (10 per 15 minutes by default) before its tries are refused for the rest of
the window. Counts live in the cache (django-ratelimit's fixed windows).
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from bookings_app.models import Client

GROUP = "loyalty.gift_card_code"
DEFAULT_RATE = "10/15m"
BLOCKED_MESSAGE = _("Too many wrong gift card codes were tried. Please wait a few minutes and try again.")


def _rate() -> str:
    return getattr(settings, "LOYALTY_CODE_ATTEMPTS", DEFAULT_RATE)


def _keys(client: Client | None) -> list:
    keys = ["ip"]
    if client is not None:
        email = client.email.strip().lower()  # the client may be new, made in a booking that rolls back
        keys.append(lambda group, request: f"client:{email}")
    return keys


def _usages(request: HttpRequest, client: Client | None, *, increment: bool) -> list[dict]:
    rate = _rate()
    usages = [get_usage(request, group=GROUP, key=k, rate=rate, increment=increment) for k in _keys(client)]
    return [usage for usage in usages if usage is not None]  # None: RATELIMIT_ENABLE is off


def is_blocked(request: HttpRequest, client: Client | None) -> bool:
    """True once this IP address or this client used up its wrong tries for the window."""
    return any(usage["count"] >= usage["limit"] for usage in _usages(request, client, increment=False))


def count_failure(request: HttpRequest, client: Client | None) -> None:
    _usages(request, client, increment=True)
