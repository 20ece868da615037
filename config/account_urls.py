"""The allauth pages Rendez offers under /account/, and not found (404) for every other one.

Clients sign in with an e-mailed code: the sign-in page, the code request, the code entry and
sign-out are allauth's. Every other URL allauth registers (sign-up, passwords, e-mail addresses,
re-authentication, and whatever a new allauth version adds) keeps its name, so allauth can still
build its links, but answers 404: an unconfirmed address set there could claim a client's
bookings, and a password reset could open a team account.

allauth counts code requests and sign-ins in the cache. When the cache does not answer, these
pages answer 503 with a message and send no code: a code request that cannot be counted could be
repeated without limit, flooding a client's mailbox with codes.
"""

import logging
from collections.abc import Callable
from functools import wraps

from allauth import urls as allauth_urls
from allauth.account import views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver

from bookings_app.views.public.account import not_offered

from .guess_counts import STORE_ERRORS

logger = logging.getLogger("rendez.sign_in")

OFFERED: dict[str, Callable] = {
    "account_login": views.login,  # the sign-in page; it asks for a code like the next one
    "account_request_login_code": views.request_login_code,
    "account_confirm_login_code": views.confirm_login_code,
    "account_logout": views.logout,
}


def _store_down_answers_503(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except STORE_ERRORS:
            logger.exception("A sign-in page could not count or send a code; answered 503")
            return render(request, "account/unavailable.html", status=503)

    return answer


def registered(patterns=None) -> list[tuple[str, URLPattern]]:
    """Every URL pattern allauth registers (its ``allauth.urls``), with the prefix it sits under."""
    found = []
    for entry in allauth_urls.urlpatterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            found += [
                (str(entry.pattern) + prefix, inner) for prefix, inner in registered(entry.url_patterns)
            ]
        else:
            found.append(("", entry))
    return found


def _rendez_patterns(patterns: list) -> list:
    rendez = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            rendez.append(URLResolver(entry.pattern, _rendez_patterns(entry.url_patterns)))
        else:
            view = OFFERED.get(entry.name)
            rendez.append(
                URLPattern(
                    entry.pattern, _store_down_answers_503(view) if view else not_offered, name=entry.name
                )
            )
    return rendez


urlpatterns = _rendez_patterns(allauth_urls.urlpatterns)
