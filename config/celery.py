"""The Celery application: broker and schedule come from Django's settings (``CELERY_*``)."""

import logging
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_shutdown, worker_shutdown

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


@task_prerun.connect
def keep_heartbeat(task=None, **kwargs) -> None:
    """Before its first task a worker process starts its heartbeat, so that the claims it
    makes name a worker the sweeps can see die (``bookings_app.workers``)."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    from bookings_app import workers

    if workers.current_worker():
        return
    try:
        workers.start_heartbeat()
    except Exception:  # the database is away: its claims fall back on the long timeouts
        logging.getLogger(__name__).warning("could not start the worker heartbeat", exc_info=True)


@worker_process_shutdown.connect
@worker_shutdown.connect
def end_heartbeat(**kwargs) -> None:
    """A process leaving on purpose lets go of its name at once."""
    from bookings_app import workers

    try:
        workers.stop_heartbeat()
    except Exception:
        logging.getLogger(__name__).warning("could not remove the worker heartbeat", exc_info=True)
