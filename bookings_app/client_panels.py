"""Panels other apps show about one client, opened from the dashboard's clients list and client page.

bookings_app knows nothing of loyalty; loyalty adds its "Points" panel from ``AppConfig.ready()``::

    register_client_panel(
        "loyalty_history", _("Points"), "loyalty_dashboard:client_history", visible=program_is_on, order=20,
    )

``url_name`` takes the client's pk as its only argument. Its view answers an HTMX request
with a ``<dialog open>`` fragment, swapped into ``#client-dialog`` of the clients pages, and
a plain request with a whole page (so the link works without JavaScript). ``visible(request)``
hides the panel, e.g. while the loyalty program is off.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class ClientPanel:
    key: str
    label: str
    url_name: str
    order: int
    visible: Callable[[HttpRequest], bool]


_panels: dict[str, ClientPanel] = {}


def register_client_panel(key: str, label: str, url_name: str, *, order: int = 100,
                          visible: Callable[[HttpRequest], bool] = lambda request: True) -> ClientPanel:
    """Add (or replace, by ``key``) a panel of the clients pages."""
    panel = ClientPanel(key, label, url_name, order, visible)
    _panels[key] = panel
    return panel


def unregister_client_panel(key: str) -> None:
    _panels.pop(key, None)


def client_panels_for(request: HttpRequest) -> list[ClientPanel]:
    """The panels shown to this request, in order."""
    return sorted((p for p in _panels.values() if p.visible(request)), key=lambda p: (p.order, p.key))
