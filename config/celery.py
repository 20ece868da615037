"""The Celery application: broker and schedule come from Django's settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rendez")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(task=None, **kwargs) -> None:
    """A task is to a worker what a request is to the web: its database connection outlives
    it as long as ``CONN_MAX_AGE`` allows and it still answers (``CONN_HEALTH_CHECKS``), which
    spares PostgreSQL a new backend per task. Celery's own Django fixup would close it after
    every task; ``CELERY_DB_REUSE_MAX`` makes it do so only now and then."""
    if task is not None and getattr(task.request, "is_eager", False):
        return  # inside the caller's transaction, which must stay open
    from django.db import close_old_connections as close

    close()
