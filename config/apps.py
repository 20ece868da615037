from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Project-wide pieces: health check, language switch, error pages, translations command,
    sign-in guard."""

    name = "config"
    verbose_name = "Rendez"

    def ready(self) -> None:
        from django.contrib import admin

        from . import sign_in  # connects the guard's signal receivers

        sign_in.guard_the_admin(admin.site)
