"""The one guard in front of every password sign-in: a guesser is slowed down, the owner is not locked out.

Every way into a team account goes through it: the dashboard's sign-in page and the admin's
(both wrapped by ``guarded``), and anything else that calls Django's ``authenticate()``
(``SignInGuardBackend`` refuses while an address is blocked; the ``user_login_failed`` signal
counts every wrong password, whichever page it was typed on). allauth's pages never open a team
account (bookings_app.web.accounts).

After ``TEAM_SIGN_IN_FAILURES`` wrong passwords for one address (10 per 15 minutes by default)
that address is refused until the window ends, even with the right password; a client address
(config.client_address) that tries ``TEAM_SIGN_IN_FAILURES_PER_IP`` wrong passwords across any
addresses is refused too. Only wrong passwords count, so signing in often is never blocked.

Counting per address alone would let anyone who knows the owner's address keep them out. So a
browser that has signed in to an address keeps it in a signed device cookie (OWASP's "device
cookies"): its attempts for that address are counted apart, per device, and a guesser's
failures elsewhere never block it.

When the cache holding the counts does not answer, a browser that signed in to this address
before is let in (a guesser cannot forge its cookie, and the owner keeps her dashboard during an
outage); any other browser is refused with 503 and a message, because passwords are guessable
and uncounted tries would be unlimited. Both are logged.
"""

import logging
import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from . import guess_counts
from .client_address import client_ip

GROUP = "config.team_sign_in"
DEFAULT_RATE = "10/15m"
DEFAULT_RATE_PER_IP = "30/15m"
DEVICE_COOKIE = "rendez_team_device"
DEVICE_SALT = "rendez.team_sign_in.device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICE_ADDRESSES = 10  # a shared front-desk tablet remembers its last ten people

OPEN, BLOCKED, UNAVAILABLE = "open", "blocked", "unavailable"
REFUSALS = {
    BLOCKED: (429, _("Too many wrong passwords for this address. Please wait a few minutes.")),
    UNAVAILABLE: (
        503,
        _("Signing in from a new browser is paused for a moment. Please try again in a few minutes."),
    ),
}

logger = logging.getLogger("rendez.sign_in")


def _normalised(address: str | None) -> str:
    return (address or "").strip().lower()


def _device(request: HttpRequest) -> dict:
    """This browser's device cookie, ``{"id", "addresses"}``; empty when it has none or a forged one."""
    try:
        device = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        return {}
    if not isinstance(device, dict):
        return {}
    return device if isinstance(device.get("id"), str) and isinstance(device.get("addresses"), list) else {}


def _known_here(request: HttpRequest, address: str) -> bool:
    return address in _device(request).get("addresses", [])


def _buckets(request: HttpRequest, address: str) -> list[tuple[str, str]]:
    """(bucket, rate) pairs this attempt counts in: the device's own, else the address's and the client's."""
    if _known_here(request, address):
        return [(f"device:{_device(request)['id']}:{address}", settings.TEAM_SIGN_IN_FAILURES)]
    return [
        (f"address:{address}", settings.TEAM_SIGN_IN_FAILURES),
        (f"ip:{client_ip(request)}", settings.TEAM_SIGN_IN_FAILURES_PER_IP),
    ]


def _usages(request: HttpRequest, address: str, *, increment: bool) -> list[dict | None]:
    return [
        guess_counts.usage(request, group=GROUP, bucket=bucket, rate=rate, increment=increment)
        for bucket, rate in _buckets(request, address)
    ]


def decision(request: HttpRequest, address: str) -> str:
    """OPEN, BLOCKED or UNAVAILABLE for a password attempt on ``address``; decided once per request."""
    decided = getattr(request, "_rendez_sign_in", {})
    if address not in decided:
        try:
            decided[address] = (
                BLOCKED if guess_counts.used_up(_usages(request, address, increment=False)) else OPEN
            )
        except guess_counts.CountsUnavailable as error:
            known = _known_here(request, address)
            logger.warning(
                "Sign-in counts unavailable (%s); %s browser %s",
                error,
                "known" if known else "new",
                "let in" if known else "refused",
            )
            decided[address] = OPEN if known else UNAVAILABLE
        request._rendez_sign_in = decided
    return decided[address]


def count_failure(request: HttpRequest, address: str) -> None:
    try:
        _usages(request, address, increment=True)
    except guess_counts.CountsUnavailable as error:
        logger.warning("A wrong password was not counted: %s", error)


@receiver(user_login_failed, dispatch_uid="rendez.count_wrong_passwords")
def _count_wrong_password(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    address = _normalised(credentials.get("username") or credentials.get("email"))
    if request is not None and address:
        count_failure(request, address)


@receiver(user_logged_in, dispatch_uid="rendez.note_password_sign_in")
def _note_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None:
        request._rendez_signed_in = True


class SignInGuardBackend(BaseBackend):
    """First of ``AUTHENTICATION_BACKENDS``: while an address is refused, no backend signs it in."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **credentials) -> None:
        """Never signs anyone in itself; the backends after it check the password."""
        address = _normalised(username or credentials.get("email"))
        if request is not None and address and decision(request, address) != OPEN:
            raise PermissionDenied  # stops authenticate(); the attempt still counts as wrong

    def get_user(self, user_id):
        """A session opened without a password (``force_login`` names the first backend) loads its
        user as Django's own backend does."""
        return ModelBackend().get_user(user_id)


class _RefusingForm:
    """Mixed into a sign-in form: a refused attempt gets the reason, and its password is never checked."""

    def clean(self):
        refusal = getattr(self.request, "_rendez_refusal", None)
        if refusal:
            raise ValidationError(REFUSALS[refusal][1], code=refusal)
        return super().clean()


class TeamAuthenticationForm(_RefusingForm, AuthenticationForm):
    pass


class TeamAdminAuthenticationForm(_RefusingForm, AdminAuthenticationForm):
    pass


def _remember_device(request: HttpRequest, response: HttpResponse, address: str) -> None:
    device = _device(request) or {"id": secrets.token_urlsafe(16), "addresses": []}
    addresses = [address, *(known for known in device["addresses"] if known != address)][:DEVICE_ADDRESSES]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"id": device["id"], "addresses": addresses}, salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def guarded(sign_in_view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a password sign-in view whose form mixes in ``_RefusingForm``: a refused attempt gets
    429 or 503 and the reason, a browser that signed in remembers the address."""

    @wraps(sign_in_view)
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        address = _normalised(request.POST.get("username")) if request.method == "POST" else ""
        if address and decision(request, address) != OPEN:
            request._rendez_refusal = decision(request, address)
        response = sign_in_view(request, *args, **kwargs)
        refusal = getattr(request, "_rendez_refusal", None)
        if refusal and response.status_code == 200:  # the form with the reason (not a signed-in redirect)
            response.status_code = REFUSALS[refusal][0]
        elif address and getattr(request, "_rendez_signed_in", False):
            _remember_device(request, response, address)
        return response

    return view


class TeamLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = TeamAuthenticationForm
    redirect_authenticated_user = True


team_login = guarded(TeamLoginView.as_view())


def guard_the_admin(site) -> None:
    """The admin's sign-in page goes through the same guard and counts as the dashboard's."""
    site.login_form = TeamAdminAuthenticationForm
    site.login = guarded(site.login)
