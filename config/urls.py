from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bookings_app import urls as bookings_urls

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(
        "dashboard/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("after-login/", views.after_login, name="after_login"),
    path("dashboard/", include((bookings_urls.dashboard, "dashboard"))),
    path("staff/", include((bookings_urls.staff, "staff"))),
    path("api/", include((bookings_urls.api, "api"))),
    path("", include((bookings_urls.public, "public"))),
]
