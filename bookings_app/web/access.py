"""Who may open which part of Rendez: one decorator per audience."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import is_owner, is_staff_member

View = Callable[..., HttpResponse]


def _role_required(allowed: Callable[[object], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


owner_required = _role_required(is_owner)
"""The owner dashboard: anonymous visitors sign in first, anyone else gets a 403."""

staff_required = _role_required(is_staff_member)
"""The staff tablet: staff members and owners."""
