from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Project-wide pieces: health check, language switch, error pages, translations command."""

    name = "config"
    verbose_name = "Rendez"
