from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


def make_var_folders() -> None:
    """Make the folders that are read before anything is written into them: the SQLite
    database's, the static files' (WhiteNoise looks at start-up) and, with no Redis, the
    filesystem broker's and result store's. The cache, mail, media and exports folders are
    made by whatever writes the first file."""
    folders = [Path(settings.VAR_DIR), Path(settings.STATIC_ROOT)]
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    folders += [
        Path(options[key])
        for key in ("data_folder_in", "data_folder_out", "control_folder")
        if key in options
    ]
    if settings.CELERY_RESULT_BACKEND.startswith("file://"):
        folders.append(Path(settings.CELERY_RESULT_BACKEND.removeprefix("file://")))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)


class ConfigConfig(AppConfig):
    """Project-wide pieces: health check, language switch, error pages, translations command,
    sign-in guard."""

    name = "config"
    verbose_name = "Rendez"

    def ready(self) -> None:
        from django.contrib import admin

        from . import sign_in  # connects the guard's signal receivers

        make_var_folders()
        sign_in.guard_the_admin(admin.site)
