"""Gift card codes that do not exist, counted per client and per client address, so nobody can guess one.

A code has 80 random bits, and each source still gets only ``LOYALTY_CODE_ATTEMPTS`` codes that
do not exist (10 per 15 minutes by default) before its tries are refused for the rest of the
window. A spent or expired card is not a guess: the code is real. Sources are the client's
address (config.client_address, which sees each client behind our proxy), the e-mail on the
booking form and, when signed in, the account; a client is refused once any of them is used up,
so ten people mistyping behind one proxy never block the eleventh.

When the cache holding the counts does not answer, codes are still checked, uncounted, and
the outage is logged: with 80 random bits even unlimited guessing during an outage finds no
card (a million guesses against ten thousand live cards: about one chance in 10^14), while
refusing would stop every client paying with a real card.
"""

import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bookings_app.models import Client
from config import guess_counts
from config.client_address import client_ip

GROUP = "loyalty.gift_card_code"
DEFAULT_RATE = "10/15m"
BLOCKED_MESSAGE = _("Too many wrong gift card codes were tried. Please wait a few minutes and try again.")

logger = logging.getLogger("rendez.guesses")


def _buckets(request: HttpRequest, client: Client | None) -> list[str]:
    buckets = [f"ip:{client_ip(request)}"]
    if client is not None:  # the client may be new, made in a booking that rolls back: count the e-mail
        buckets.append(f"client:{client.email.strip().lower()}")
    if request.user.is_authenticated:
        buckets.append(f"account:{request.user.pk}")
    return buckets


def _usages(request: HttpRequest, client: Client | None, *, increment: bool) -> list[dict | None]:
    return [
        guess_counts.usage(
            request, group=GROUP, bucket=bucket, rate=settings.LOYALTY_CODE_ATTEMPTS, increment=increment
        )
        for bucket in _buckets(request, client)
    ]


def is_blocked(request: HttpRequest, client: Client | None) -> bool:
    """True once this client's address, e-mail or account used up its tries for the window."""
    try:
        return guess_counts.used_up(_usages(request, client, increment=False))
    except guess_counts.CountsUnavailable as error:
        logger.warning("Gift card code tries cannot be counted (%s); checking the code anyway", error)
        return False


def count_unknown_code(request: HttpRequest, client: Client | None) -> None:
    """Count a code that matches no gift card against each of this client's sources."""
    try:
        _usages(request, client, increment=True)
    except guess_counts.CountsUnavailable as error:
        logger.warning("A gift card code that does not exist was not counted: %s", error)
