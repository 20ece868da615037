"""The owner's automation pages, mounted at /dashboard/automations/ (namespace
``automations_dashboard``). One line per page; add new pages anywhere in the list."""

from django.urls import path

from .views import dashboard_automations as automations
from .views import dashboard_builder as builder
from .views import dashboard_summary as summary
from .views import email_editor, stats

urlpatterns = [
    path("", automations.automation_list, name="list"),
    path("new/", builder.new, name="new"),
    path("new/build/", builder.build, name="build"),
    path("<int:pk>/", summary.summary, name="summary"),
    path("<int:pk>/what-would-happen/", summary.what_would_happen, name="what_would_happen"),
    path("<int:pk>/edit/", builder.edit, name="edit"),
    path("<int:pk>/switch/", automations.toggle, name="toggle"),
    path("<int:pk>/rename/", automations.rename, name="rename"),
    path("<int:pk>/duplicate/", automations.duplicate, name="duplicate"),
    path("<int:pk>/delete/", automations.delete, name="delete"),
    path("<int:pk>/stats/", stats.automation_stats, name="stats"),
    path("emails/preview/", email_editor.email_preview, name="email_preview"),
    path("emails/test/", email_editor.email_test, name="email_test"),
]
