"""The embedded booking flow: the public booking pages framed by the owner's own website.

A page is embedded when its address starts with ``/embed/`` (``config.embedding`` routes such
requests through ``config.embed_urls``, where the ``public`` pages of the flow live under the
prefix, so every ``reverse()``, ``{% url %}`` and ``get_absolute_url()`` of the request stays in
the frame). Each embedded view is wrapped by ``embedded()``, which:

- sends ``Content-Security-Policy: frame-ancestors 'self' <the owner's origins>`` and exempts
  the answer from ``X-Frame-Options: DENY`` (every other page keeps it);
- acts for nobody: the request's user is anonymous and the session is never read, since the
  frame's cookies are third-party cookies the browser may withhold (Safari always does);
- replaces Django's cookie-based CSRF check by ``refusal_of_embedded_post()``: the ``Origin``
  header, when the browser sends one, must be this site's, and the form must carry a signed,
  dated token naming the address it was rendered for (``embed_form_token()``).

See docs/embedding.md for the security model.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..models import Business

EMBED_PREFIX = "/embed/"
FORM_TOKEN_FIELD = "embed_form"
FORM_TOKEN_SALT = "rendez.embed.form"
FORM_TOKEN_MAX_AGE = 2 * 60 * 60  # seconds: a client may take a while over the form, not a day


def is_embedded(request: HttpRequest) -> bool:
    return getattr(request, "embedded", False)


def frame_ancestors(origins: Iterable[str]) -> str:
    """The CSP that lets this site and the owner's listed origins (only them) frame a page."""
    return " ".join(["frame-ancestors 'self'", *origins])


def embed_form_token(request: HttpRequest) -> str:
    """A signed, dated token for a form posted back to this request's address."""
    return signing.dumps(request.path, salt=FORM_TOKEN_SALT)


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def refusal_of_embedded_post(request: HttpRequest) -> str:
    """Why an embedded form's POST is refused (empty when it is accepted)."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != _own_origin(request):
        return _("This form was sent from another site.")
    try:
        token = request.POST.get(FORM_TOKEN_FIELD, "")
        path = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return _("This form is too old. Please open the page again and send it within two hours.")
    except signing.BadSignature:
        return _("This form could not be checked. Please open the page again.")
    if path != request.path:
        return _("This form was made for another page. Please open the page again.")
    return ""


def embedded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` as a page of the embedded flow (see the module's docstring)."""

    @wraps(view)
    def embedded_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.embedded = True
        request.user = AnonymousUser()
        origins = Business.current().embed_origins
        reason = refusal_of_embedded_post(request) if request.method == "POST" else ""
        if reason:
            response = render(
                request,
                "public/embed_refused.html",
                {"reason": reason, "retry_url": request.get_full_path()},
                status=403,
            )
        else:
            response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = frame_ancestors(origins)
        response.xframe_options_exempt = True
        return response

    embedded_view.csrf_exempt = True  # replaced by refusal_of_embedded_post(): no cookie reaches a frame
    return embedded_view
