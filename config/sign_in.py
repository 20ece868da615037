"""The owner's and staff's password sign-in: a guesser is slowed down, the owner is not locked out.

Django's LoginView never slows a guesser down. After ``TEAM_SIGN_IN_FAILURES`` wrong passwords
for one address (10 per 15 minutes by default) that address is refused until the window ends,
even with the right password. Only failures count, so signing in often is never blocked.

Counting per address alone would let anyone who knows the owner's address keep them out. So a
browser that has signed in to an address keeps it in a signed device cookie (OWASP's "device
cookies"): its attempts for that address are counted apart, per device, and a guesser's
failures elsewhere never block it. Counts live in the cache (django-ratelimit's fixed windows).
"""

import secrets

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

GROUP = "config.team_sign_in"
DEFAULT_RATE = "10/15m"
DEVICE_COOKIE = "rendez_team_device"
DEVICE_SALT = "rendez.team_sign_in.device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICE_ADDRESSES = 10  # a shared front-desk tablet remembers its last ten people


def _address(request: HttpRequest) -> str:
    return request.POST.get("username", "").strip().lower()


def _device(request: HttpRequest) -> dict:
    """This browser's device cookie, ``{"id", "addresses"}``; empty when it has none or a forged one."""
    try:
        device = signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return {}
    if not isinstance(device, dict):
        return {}
    return device if isinstance(device.get("id"), str) and isinstance(device.get("addresses"), list) else {}


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    address, device = _address(request), _device(request)
    known_here = address in device.get("addresses", [])
    bucket = f"device:{device['id']}:{address}" if known_here else f"address:{address}"
    return get_usage(request, group=GROUP, key=lambda group, request: bucket,
                     rate=getattr(settings, "TEAM_SIGN_IN_FAILURES", DEFAULT_RATE), increment=increment)


def _is_blocked(request: HttpRequest) -> bool:
    usage = _usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]  # None: RATELIMIT_ENABLE is off


class _RefusedSignInForm(AuthenticationForm):
    """Refuses without checking the password, so a blocked guesser learns nothing."""

    def clean(self):
        raise ValidationError(_("Too many wrong passwords for this address. Please wait a few minutes."),
                              code="too_many_attempts")


class TeamLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _is_blocked(request):
            form = _RefusedSignInForm(request, data=request.POST)
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        _usage(self.request, increment=True)
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        device = _device(self.request) or {"id": secrets.token_urlsafe(16), "addresses": []}
        address = _address(self.request)
        addresses = [address, *(known for known in device["addresses"] if known != address)][:DEVICE_ADDRESSES]
        device = {"id": device["id"], "addresses": addresses}
        response.set_cookie(
            DEVICE_COOKIE, signing.dumps(device, salt=DEVICE_SALT), max_age=DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
        )
        return response
