"""Panels other apps show about one client, opened from the dashboard's clients list and client page,
and columns they add to that list.

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

from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class ClientPanel:
    key: str
    label: str
    url_name: str
    order: int
    visible: Callable[[HttpRequest], bool]


_panels: dict[str, ClientPanel] = {}


def register_client_panel(
    key: str,
    label: str,
    url_name: str,
    *,
    order: int = 100,
    visible: Callable[[HttpRequest], bool] = lambda request: True,
) -> ClientPanel:
    """Add (or replace, by ``key``) a panel of the clients pages."""
    panel = ClientPanel(key, label, url_name, order, visible)
    _panels[key] = panel
    return panel


def client_panels_for(request: HttpRequest) -> list[ClientPanel]:
    """The panels shown to this request, in order."""
    return sorted((p for p in _panels.values() if p.visible(request)), key=lambda p: (p.order, p.key))


@dataclass(frozen=True)
class ClientColumn:
    """A figure another app adds to each row of the clients list (loyalty: the points balance).

    ``annotate`` adds the attribute ``key`` to the list's queryset, so the page stays one query
    whatever its size; each value links to ``url_name`` (the client's pk as its argument).
    """

    key: str
    label: str
    annotate: Callable[[QuerySet], QuerySet]
    url_name: str
    order: int
    visible: Callable[[HttpRequest], bool]


_columns: dict[str, ClientColumn] = {}


def register_client_column(
    key: str,
    label: str,
    annotate: Callable[[QuerySet], QuerySet],
    url_name: str,
    *,
    order: int = 100,
    visible: Callable[[HttpRequest], bool] = lambda request: True,
) -> ClientColumn:
    """Add (or replace, by ``key``) a column of the clients list."""
    column = ClientColumn(key, label, annotate, url_name, order, visible)
    _columns[key] = column
    return column


def client_columns_for(request: HttpRequest) -> list[ClientColumn]:
    """The columns shown to this request, in order."""
    return sorted((c for c in _columns.values() if c.visible(request)), key=lambda c: (c.order, c.key))
