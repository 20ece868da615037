"""One way for every app's views to answer a page or a part of it.

An htmx request (``HX-Request``) swaps one part of a page in place, so it gets that part, a
fragment of the page's template (django-template-partials' ``template.html#part``). Every
other request gets the whole page, history-restore requests included: after the back button,
when htmx has lost its snapshot of the page, it asks the server for the URL again and puts
the answer in place of the whole ``<body>``. The answer varies on ``HX-Request`` so that no
cache hands a fragment to a browser that asked for the page, or the other way round.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of the page, not for a history restore."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_or_fragment(request: HttpRequest, template: str, fragment: str) -> str:
    """The template to render: ``template#fragment`` when a fragment is wanted, else the page."""
    return f"{template}#{fragment}" if fragment and wants_fragment(request) else template


def render_page(
    request: HttpRequest, template: str, context: dict, *, fragment: str = "", status: int = 200
) -> HttpResponse:
    """The whole page, or only its ``fragment`` for an htmx request (see the module)."""
    response = render(request, page_or_fragment(request, template, fragment), context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
