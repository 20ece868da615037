from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ..models import Business
from ..plug_ins import nav
from .embedding import embed_form_token, is_embedded
from .roles import is_owner

# Dashboard URL names, by the navigation entry they belong to (first matching prefix wins).
_NAV_SECTIONS = (
    ("email_settings", "settings"),
    ("feed", "settings"),
    ("embedding", "settings"),
    ("settings", "settings"),
    ("calendar", "calendar"),
    ("request", "requests"),
    ("service", "services"),
    ("discount", "discounts"),
    ("staff", "staff"),
    ("client", "clients"),
    ("plan", "plans"),
    ("booking", "bookings"),
    ("email", "emails"),
    ("home", "home"),
)


def business(request: HttpRequest) -> dict:
    """``business`` in every template (name in headers), loaded only when a template uses it."""
    return {"business": SimpleLazyObject(Business.current)}


def dashboard_nav(request: HttpRequest) -> dict:
    """Which dashboard entry is current, and whether the viewer sees the owner's entries."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    if match.namespace == "dashboard":
        section = next((name for prefix, name in _NAV_SECTIONS if match.url_name.startswith(prefix)), "")
    else:
        section = nav.dashboard_section_for(match.namespace)
        if not section:
            return {}
    viewer_is_owner = SimpleLazyObject(lambda: is_owner(request.user))
    return {
        "nav_section": section,
        "viewer_is_owner": viewer_is_owner,
        "nav_extra_entries": SimpleLazyObject(
            lambda: nav.dashboard_entries(request, viewer_is_owner=bool(viewer_is_owner))
        ),
    }


def client_nav(request: HttpRequest) -> dict:
    """Links other apps add to a signed-in client's header (``bookings_app.plug_ins.nav``)."""
    return {"client_nav_entries": SimpleLazyObject(lambda: nav.client_entries(request))}


def embedding(request: HttpRequest) -> dict:
    """``embedded`` on the pages of the embedded booking flow, and their forms' signed token."""
    if not is_embedded(request):
        return {"embedded": False}
    return {"embedded": True, "embed_form_token": SimpleLazyObject(lambda: embed_form_token(request))}
