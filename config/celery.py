"""The Celery application: broker and schedule come from Django's settings (``CELERY_*``)."""

import logging
import os
import time

from celery import Celery
from celery.signals import (
    task_postrun,
    task_prerun,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# After a publish fails, the next ones in this process are not even tried for this long: one
# request pays the broker's timeout, the others hand nothing over and the sweeps deliver later.
BROKER_COOL_OFF = 10.0  # seconds


class Rendez(Celery):
    _broker_failure: tuple[str, float] | None = None  # (broker address, monotonic time)

    def connection_for_write(self, url=None, **kwargs):
        """Every publish (and the producer pool built from this connection) waits on Redis at
        most ``REDIS_TIMEOUT`` per step, and never retries: a hand-over on a request path fails
        fast and the sweeps deliver later. Consuming (``connection_for_read``) keeps the broker
        options alone, as the worker's blocking wait for its queue needs."""
        from django.conf import settings

        options = {**settings.REDIS_PUBLISH_OPTIONS, **(kwargs.pop("transport_options", None) or {})}
        return super().connection_for_write(url, transport_options=options, **kwargs)

    def send_task(self, *args, **kwargs):
        """Publish, unless this broker failed less than ``BROKER_COOL_OFF`` ago: then raise at
        once, as a failed publish would, and every caller records it for the sweeps.

        A task sent by name keeps no result unless asked (``task_ignore_result``), as one sent
        through its task object does: otherwise Celery subscribes to the result backend first,
        on a connection without the publish deadlines, and a hung Redis holds the request."""
        kwargs.setdefault("ignore_result", self.conf.task_ignore_result)
        broker, failure = self.conf.broker_write_url, self._broker_failure
        if failure and failure[0] == broker and time.monotonic() - failure[1] < BROKER_COOL_OFF:
            raise OperationalError("the broker failed a moment ago; not tried again yet")
        try:
            result = super().send_task(*args, **kwargs)
        except OperationalError:
            self._broker_failure = (broker, time.monotonic())
            raise
        self._broker_failure = None
        return result


app = Rendez("rendez")
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
    makes name a worker the sweeps can see die (``bookings_app.core.workers``)."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    from bookings_app.core import workers

    if workers.current_worker():
        return
    try:
        workers.start_heartbeat()
    except Exception:  # the database is away: its claims fall back on the long timeouts
        logging.getLogger(__name__).warning("could not start the worker heartbeat", exc_info=True)


@worker_process_init.connect
@worker_ready.connect
def freeze_startup_objects(**kwargs) -> None:
    """A worker process (a pool's child, or the main process of a solo pool) keeps what it made
    while starting out of the garbage collector's way, as the web's do (``config/memory.py``)."""
    from config.memory import freeze_startup_objects as freeze

    freeze()


@worker_process_shutdown.connect
@worker_shutdown.connect
def end_heartbeat(**kwargs) -> None:
    """A process leaving on purpose lets go of its name at once."""
    from bookings_app.core import workers

    try:
        workers.stop_heartbeat()
    except Exception:
        logging.getLogger(__name__).warning("could not remove the worker heartbeat", exc_info=True)
