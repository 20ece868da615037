"""What the owner sees of a stored e-mail: its HTML with anything that reports back taken out.

Other apps that add tracking to the e-mails they send register a filter that undoes it
(automations: the open pixel and the click links), so the owner's own look is never an open
or a click. bookings_app knows nothing of how they track.
"""

from collections.abc import Callable

PreviewFilter = Callable[[str], str]

_filters: dict[str, PreviewFilter] = {}


def register_preview_filter(key: str, untrack: PreviewFilter) -> None:
    """Add (or replace, by ``key``) a function from stored HTML to HTML that reports nothing."""
    _filters[key] = untrack


def preview_html(body_html: str) -> str:
    """The stored HTML body as the dashboard shows it."""
    for key in sorted(_filters):
        body_html = _filters[key](body_html)
    return body_html
