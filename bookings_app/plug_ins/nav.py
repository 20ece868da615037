"""Navigation entries other apps add to the dashboard sidebar and the client's header.

bookings_app knows nothing of automations or loyalty; they register their own entries from
``AppConfig.ready()``::

    register_dashboard_entry(
        "automations", _("Automations"), "automations_dashboard:list",
        namespace="automations_dashboard", order=60,
    )
    register_client_entry(
        "points", _("My points"), "loyalty:my_points", visible=program_is_on, order=20,
    )

A dashboard entry is shown to owners (``owner_only``) and marked current on every page of its
URL ``namespace``. ``visible(request)`` hides an entry, e.g. when the loyalty program is off.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    namespace: str
    order: int
    owner_only: bool
    visible: Callable[[HttpRequest], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_dashboard: dict[str, NavEntry] = {}
_client: dict[str, NavEntry] = {}


def _always(request: HttpRequest) -> bool:
    return True


def register_dashboard_entry(
    key: str,
    label: str,
    url_name: str,
    *,
    namespace: str = "",
    order: int = 100,
    owner_only: bool = True,
    visible: Callable[[HttpRequest], bool] = _always,
) -> NavEntry:
    """Add (or replace, by ``key``) an entry of the dashboard sidebar."""
    entry = NavEntry(key, label, url_name, namespace, order, owner_only, visible)
    _dashboard[key] = entry
    return entry


def register_client_entry(
    key: str, label: str, url_name: str, *, order: int = 100, visible: Callable[[HttpRequest], bool] = _always
) -> NavEntry:
    """Add (or replace, by ``key``) a link of a signed-in client's header on the public pages."""
    entry = NavEntry(key, label, url_name, "", order, False, visible)
    _client[key] = entry
    return entry


def dashboard_entries(request: HttpRequest, *, viewer_is_owner: bool) -> list[NavEntry]:
    entries = (e for e in _dashboard.values() if viewer_is_owner or not e.owner_only)
    return sorted((e for e in entries if e.visible(request)), key=lambda e: (e.order, e.key))


def client_entries(request: HttpRequest) -> list[NavEntry]:
    return sorted((e for e in _client.values() if e.visible(request)), key=lambda e: (e.order, e.key))


def dashboard_section_for(namespace: str) -> str:
    """The registered entry whose pages live in ``namespace`` ("" when none does)."""
    return next((e.key for e in _dashboard.values() if e.namespace and e.namespace == namespace), "")
