"""URL maps by audience; ``config.urls`` mounts each under its root and namespace."""

from django.urls import path

from .views import dashboard as dashboard_views
from .views import public as public_views
from .views import staff as staff_views

public = [
    path("", public_views.home, name="home"),
]

dashboard = [
    path("", dashboard_views.home, name="home"),
]

staff = [
    path("", staff_views.today, name="today"),
]

api: list = []
