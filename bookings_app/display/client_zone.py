"""The one rule for the time zone a client reads times in, on every public page and e-mail link.

In order: an explicit ``?tz=`` (e-mail links carry the zone their e-mail was written in, so the
page opened from it shows the same times), else the ``tz`` cookie that ``static/js/timezone.js``
writes (URL-encoded: ``Asia%2FJerusalem``), else the zone stored for the client, else the
business's. Anything that is not a known zone is ignored, never an error.
"""

import zoneinfo
from functools import lru_cache
from urllib.parse import unquote

from django.http import HttpRequest

TZ_COOKIE = "tz"
TZ_PARAM = "tz"


@lru_cache(maxsize=1)
def _time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def known_time_zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone called ``name`` (``Area/City``), or None for anything unknown."""
    if not name or name not in _time_zone_names():
        return None
    return zoneinfo.ZoneInfo(name)


def asked_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The zone this request names: ``?tz=``, else the browser's cookie; None when neither is known."""
    return known_time_zone(request.GET.get(TZ_PARAM)) or known_time_zone(
        unquote(request.COOKIES.get(TZ_COOKIE, ""))
    )


def client_time_zone(
    request: HttpRequest, business, fallback: zoneinfo.ZoneInfo | None = None
) -> zoneinfo.ZoneInfo:
    """The zone to show times in: the request's, else ``fallback`` (the client's stored zone),
    else the business's."""
    return asked_zone(request) or fallback or business.tz


def carried_tz(request: HttpRequest) -> dict[str, str]:
    """An explicit ``?tz=`` travels on in the links a page renders; the cookie needs no help."""
    zone = known_time_zone(request.GET.get(TZ_PARAM))
    return {TZ_PARAM: zone.key} if zone else {}


def email_zone(client, business) -> zoneinfo.ZoneInfo:
    """The zone a client's e-mails are written in, and that their links carry."""
    return client.tz or business.tz
