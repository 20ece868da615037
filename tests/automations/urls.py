"""The site's URLs with automations mounted at /automations/, as config/urls.py is to mount them,
and Postmark's webhooks routed (tests/support/postmark_urls.py)."""

from django.urls import include, path

from tests.support.postmark_urls import urlpatterns as site_urlpatterns

_mounted = any(getattr(pattern, "namespace", None) == "automations" for pattern in site_urlpatterns)

urlpatterns = [
    *([] if _mounted else [path("automations/", include("automations.urls"))]),
    *site_urlpatterns,
]
