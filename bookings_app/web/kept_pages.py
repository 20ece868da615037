"""Whole public pages kept for anonymous visitors, and handed to each with their own CSRF token.

An appointment's service page is the same for every anonymous visitor asking the same address
in the same language and zone under the same availability version (``selectors/availability_cache``):
everything it shows (the business, the service and its owner texts, its staff, the month's free
days) lives in the tables the version's triggers guard. What varies by visitor is left out of
what is kept, or the page is not kept at all:

- the CSRF token (the language switcher's form, htmx's header) is rendered as a placeholder
  and each visitor's own token is put in its place when the page is served;
- a signed-in visitor (their header names their pages) and a visitor with a message waiting
  (``_messages.html``) are neither served a kept page nor have theirs kept.

The browser may keep the page too (``Cache-Control: private, no-cache``): its ETag adds the
visitor's CSRF secret to the kept page's key, so a browser whose cookie changed gets a page
whose token matches it.
"""

import hashlib
from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers


@lru_cache(maxsize=1)
def csrf_placeholder() -> str:
    """What stands for the CSRF token in a kept page: derived from the secret key, so nobody
    can smuggle it into a page through its address and have it replaced."""
    return hashlib.sha256(f"rendez.kept-page.csrf:{settings.SECRET_KEY}".encode()).hexdigest()[:40]


def may_share(request: HttpRequest) -> bool:
    """Whether this visitor may be served a kept page, and have theirs kept: anonymous, and no
    message waiting to be shown."""
    return not request.user.is_authenticated and not len(get_messages(request))


def render_to_keep(request: HttpRequest, template: str, context: dict) -> bytes:
    """The page as every anonymous visitor sees it, the CSRF token left as a placeholder."""
    return render_to_string(template, {**context, "csrf_token": csrf_placeholder()}, request).encode()


def visitor_etag(request: HttpRequest, kept_key: str) -> str | None:
    """The ETag of the kept page under ``kept_key`` as served to this visitor (with the token of
    their CSRF secret); None while they have no secret yet."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    digest = hashlib.sha256(f"{kept_key}\n{secret}".encode()).hexdigest()
    return f'W/"{digest[:32]}"'


def serve(request: HttpRequest, content: bytes, kept_key: str) -> HttpResponse:
    """The kept page with this visitor's CSRF token (which sets their cookie if they had none)."""
    token = get_token(request)
    response = HttpResponse(content.replace(csrf_placeholder().encode(), token.encode()))
    return revalidated(response, visitor_etag(request, kept_key))


def revalidated(response: HttpResponse, etag: str | None) -> HttpResponse:
    """The browser may keep the page, and asks again each time (ETag, 304)."""
    if etag:
        response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response
