"""The tabs of the dashboard's service edit page, as a registry other apps can fill.

The edit page (``dashboard:service``) shows every tab registered here that applies to the
service, in ``order``. Bookings registers its own three (Details, Schedule, Booking form) in
``bookings_app.views.dashboard.services``. Another app adds a tab without touching
bookings_app, from its ``AppConfig.ready()``::

    class LoyaltyConfig(AppConfig):
        def ready(self):
            from bookings_app.plug_ins.service_tabs import register_service_tab
            from .views.dashboard import service_loyalty_tab

            register_service_tab(
                "loyalty", _("Loyalty"), "loyalty/dashboard/service_tab.html", service_loyalty_tab, order=40,
            )

``context_func(request, service)`` is called for GET and POST requests to
``?tab=<key>`` and returns either the template's context (a dict; a ``"status"`` key sets the
response status, e.g. 400 for a form with errors) or an ``HttpResponse`` (a redirect after a
successful save). The template is included inside the page with ``service``, ``business``
and ``tab`` in its context; forms post to ``?tab=<key>`` of the same page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

TabContext = Callable[[HttpRequest, object], dict | HttpResponse]


@dataclass(frozen=True)
class ServiceTab:
    key: str
    label: str
    template_name: str
    context_func: TabContext
    applies_to: Callable[[object], bool]
    order: int


_tabs: dict[str, ServiceTab] = {}


def register_service_tab(
    key: str,
    label: str,
    template_name: str,
    context_func: TabContext,
    applies_to: Callable[[object], bool] = lambda service: True,
    order: int = 100,
) -> ServiceTab:
    """Add (or replace, by ``key``) a tab of the service edit page."""
    tab = ServiceTab(key, label, template_name, context_func, applies_to, order)
    _tabs[key] = tab
    return tab


def unregister_service_tab(key: str) -> None:
    """Remove a tab (tests, or an app switched off)."""
    _tabs.pop(key, None)


def service_tabs_for(service) -> list[ServiceTab]:
    """The tabs that apply to ``service``, in order."""
    return sorted(
        (tab for tab in _tabs.values() if tab.applies_to(service)), key=lambda tab: (tab.order, tab.key)
    )
