from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from automations import dashboard_urls as automations_dashboard_urls
from automations import task_urls as automations_task_urls
from bookings_app import urls as bookings_urls
from bookings_app.views.public import account as account_views
from bookings_app.views.public import my_memberships as my_membership_views
from loyalty import dashboard_urls as loyalty_dashboard_urls

from . import account_urls, sign_in, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("dashboard/login/", sign_in.team_login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("after-login/", views.after_login, name="after_login"),
    # Clients sign in by e-mailed code; every other allauth page answers 404 (see account_urls).
    path("account/", include(account_urls)),
    path("my/", account_views.my_bookings, name="my_bookings"),
    path("my/calendar-feed/", account_views.my_calendar_feed, name="my_calendar_feed"),
    path(
        "my/memberships/<int:pk>/cancel/",
        my_membership_views.cancel_my_membership,
        name="my_membership_cancel",
    ),
    path("my/", include("loyalty.urls")),
    path("automations/", include("automations.urls")),
    path("anymail/", include("config.anymail_urls")),  # e-mail providers' tracking webhooks
    path("dashboard/automations/", include((automations_dashboard_urls, "automations_dashboard"))),
    path("dashboard/tasks/", include((automations_task_urls, "automations_tasks"))),
    path("dashboard/loyalty/", include((loyalty_dashboard_urls, "loyalty_dashboard"))),
    path("dashboard/payments/", include((bookings_urls.payments_dashboard, "payments_dashboard"))),
    path("pay/", include((bookings_urls.payments, "payments"))),
    path("gift-cards/", include("loyalty.gift_shop_urls")),
    path("dashboard/", include((bookings_urls.dashboard, "dashboard"))),
    path("staff/", include((bookings_urls.staff, "staff"))),
    path("api/", include((bookings_urls.api, "api"))),
    path("", include((bookings_urls.public, "public"))),
]
