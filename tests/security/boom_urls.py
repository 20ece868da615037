"""The site's URLs plus one that fails, to see the 500 page a visitor gets."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

SECRET_DETAIL = "the-database-password-is-hunter2"


def boom(request):
    raise RuntimeError(f"something broke: {SECRET_DETAIL}")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
