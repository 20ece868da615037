"""Mounted at /automations/ in config/urls.py: ``path("automations/", include("automations.urls"))``."""

from django.urls import path

from .views import public, tracking

app_name = "automations"

urlpatterns = [
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("e/open/<str:token>/", tracking.email_opened, name="email_opened"),
    path("e/link/<str:token>/", tracking.email_clicked, name="email_clicked"),
]
