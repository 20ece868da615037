"""The site's URLs as they are with ANYMAIL_PROVIDER=postmark: Postmark's webhooks under /anymail/."""

from django.urls import URLPattern, URLResolver, include, path

from config.anymail_urls import app_name, webhooks_for
from config.urls import urlpatterns as site_urlpatterns


def site_urls_with_webhooks_of(provider: str) -> list[URLPattern | URLResolver]:
    """config/urls.py as it is with ANYMAIL_PROVIDER=<provider>."""
    return [
        path("anymail/", include((webhooks_for(provider), app_name))),
        *(pattern for pattern in site_urlpatterns if getattr(pattern, "namespace", None) != app_name),
    ]


urlpatterns = site_urls_with_webhooks_of("postmark")
