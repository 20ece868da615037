from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Business
from .roles import is_owner

# Dashboard URL names, by the navigation entry they belong to (first matching prefix wins).
_NAV_SECTIONS = (
    ("email_settings", "settings"), ("settings", "settings"), ("calendar", "calendar"),
    ("request", "requests"), ("service", "services"), ("staff", "staff"), ("client", "clients"),
    ("booking", "bookings"), ("email", "emails"), ("home", "home"),
)


def business(request: HttpRequest) -> dict:
    """``business`` in every template (name in headers), loaded only when a template uses it."""
    return {"business": SimpleLazyObject(Business.current)}


def dashboard_nav(request: HttpRequest) -> dict:
    """Which dashboard entry is current, and whether the viewer sees the owner's entries."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "dashboard":
        return {}
    section = next((name for prefix, name in _NAV_SECTIONS if match.url_name.startswith(prefix)), "")
    return {"nav_section": section, "viewer_is_owner": SimpleLazyObject(lambda: is_owner(request.user))}
