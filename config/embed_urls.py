"""The URL maps of ``/embed/`` requests: the site's own, with the public pages of the booking flow
under ``/embed/`` (``bookings_app.urls.public_embedded``); every other page keeps its address.

``/embed/<language>/`` (``/embed/fr/``) has a map of its own per language, so that every address
such a request makes keeps the language too (``config.embedding``)."""

from types import ModuleType

from django.conf import settings
from django.urls import include, path

from bookings_app import urls as bookings_urls

from .urls import urlpatterns as site_urlpatterns


def _with_flow_under(prefix: str) -> list:
    return [
        *(pattern for pattern in site_urlpatterns if getattr(pattern, "namespace", None) != "public"),
        path("", include((bookings_urls.public_embedded(prefix), "public"))),
    ]


def _language_map(code: str) -> ModuleType:
    module = ModuleType(f"{__name__}.{code}")
    module.urlpatterns = _with_flow_under(f"embed/{code}/")
    return module


urlpatterns = _with_flow_under("embed/")
BY_LANGUAGE = {code: _language_map(code) for code, _name in settings.LANGUAGES}
