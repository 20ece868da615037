"""Mounted at /automations/ in config/urls.py: ``path("automations/", include("automations.urls"))``."""

from django.urls import path

from . import views

app_name = "automations"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
