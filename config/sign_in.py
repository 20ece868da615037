"""The owner's and staff's password sign-in, with wrong passwords counted per e-mail address.

Django's LoginView never slows a guesser down. After ``TEAM_SIGN_IN_FAILURES`` wrong passwords
for one address (10 per 15 minutes by default) that address is refused until the window ends,
even with the right password. Only failures count, so signing in often is never blocked.
Counts live in the cache (django-ratelimit's fixed windows).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

GROUP = "config.team_sign_in"
DEFAULT_RATE = "10/15m"


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    address = request.POST.get("username", "").strip().lower()
    return get_usage(request, group=GROUP, key=lambda group, request: f"address:{address}",
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
