"""Work handed to the Celery workers, by task name, once the transaction has committed.

Services never import a tasks module (the tasks import the services): they name the task here.
A worker therefore never sees a row that is not committed yet, and no service depends on
Celery's task objects. Publishing does not retry: with the broker down it would hold the
request for seconds; the change is committed all the same and each kind of work has a beat
sweep that picks up what was not handed over (see the callers).
"""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def send_now(task_name: str, *args, countdown: float | None = None, queue: str | None = None) -> bool:
    """Publish ``task_name(*args)`` (on ``queue`` when given, else where the task routes say);
    False (and a warning) when the broker refuses."""
    options = {"queue": queue} if queue else {}
    try:
        current_app.send_task(task_name, args=list(args), countdown=countdown, retry=False, **options)
    except Exception:
        logger.warning("could not hand %s%r to the workers; its sweep will", task_name, args, exc_info=True)
        return False
    return True


def after_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """``send_now`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_now(task_name, *args, countdown=countdown))
