"""URL maps by audience; ``config.urls`` mounts each under its root and namespace."""

from django.urls import path

from .views import api as api_views
from .views import dashboard as dashboard_views
from .views import public as public_views
from .views import public_manage as manage_views
from .views import staff as staff_views

public = [
    path("", public_views.home, name="home"),
    path("s/<slug:slug>/", public_views.service, name="service"),
    path("s/<slug:slug>/book/", public_views.book, name="book"),
    path("s/<slug:slug>/sessions/<int:session_id>/book/", public_views.book_session, name="book_session"),
    path("s/<slug:slug>/enrol/", public_views.enrol, name="enrol"),
    path("booked/<str:token>/", manage_views.confirmation, name="confirmation"),
    path("manage/<str:token>/", manage_views.manage, name="manage"),
    path("manage/<str:token>/booking.ics", manage_views.booking_ics, name="booking_ics"),
    path("manage/<str:token>/cancel/", manage_views.cancel, name="cancel"),
    path("manage/<str:token>/reschedule/", manage_views.reschedule, name="reschedule"),
]

dashboard = [
    path("", dashboard_views.home, name="home"),
    path("settings/", dashboard_views.business_settings, name="settings"),
]

staff = [
    path("", staff_views.today, name="today"),
]

api = [
    path("services", api_views.services, name="services"),
    path("availability/<str:slug>", api_views.availability_for, name="availability"),
]
