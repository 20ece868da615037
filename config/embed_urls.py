"""The URL map of ``/embed/`` requests: the site's own, with the public pages of the booking flow
under ``/embed/`` (``bookings_app.urls.public_embedded``); every other page keeps its address."""

from django.urls import include, path

from bookings_app import urls as bookings_urls

from .urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *(pattern for pattern in site_urlpatterns if getattr(pattern, "namespace", None) != "public"),
    path("", include((bookings_urls.public_embedded, "public"))),
]
