"""Which worker process holds a claim, and whether it is still alive.

Each Celery worker process that performs tasks names itself (``host:pid:nonce``, the nonce
telling apart two boots that reuse a pid) and keeps its ``WorkerHeartbeat`` row fresh from a
thread, every ``BEAT_EVERY``. A claim on a run or an e-mail records the claiming process in
``claimed_by``; ``lost_claim`` says when it is lost: its worker has not been seen for
``LOST_AFTER`` (killed, its machine gone), or the claim is older than the caller's long timeout
(a claim without a worker — made outside a worker process — or a worker stuck on it).
The sweeps take lost work back with a conditional UPDATE that names the old claim, so two
sweepers never both take it.
"""

import logging
import os
import secrets
import socket
import threading
from datetime import datetime, timedelta

from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from ..models import WorkerHeartbeat

logger = logging.getLogger(__name__)

BEAT_EVERY = timedelta(seconds=10)
LOST_AFTER = timedelta(seconds=30)  # three beats missed: the process is gone
FORGET_AFTER = timedelta(days=1)  # rows of processes gone this long are deleted

_current: tuple[int, str, threading.Event] | None = None  # (pid, worker id, stop) of this process
_lock = threading.Lock()


def current_worker() -> str:
    """This process's worker id while its heartbeat runs, else "" (a web process, a test)."""
    current = _current
    return current[1] if current is not None and current[0] == os.getpid() else ""


def start_heartbeat() -> str:
    """Name this process and keep its heartbeat fresh until it exits (or ``stop_heartbeat``);
    its first beat is written before this returns, so its first claim already has a live
    worker. Does nothing when already started in this process (a forked child starts afresh)."""
    global _current
    with _lock:
        if current_worker():
            return current_worker()
        worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:120]
        now = timezone.now()
        WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()
        WorkerHeartbeat.objects.create(worker=worker, started_at=now, last_seen=now)
        stop = threading.Event()
        _current = (os.getpid(), worker, stop)
    threading.Thread(target=_keep_beating, args=(worker, stop), name="rendez-heartbeat", daemon=True).start()
    logger.info("worker %s started its heartbeat", worker)
    return worker


def stop_heartbeat() -> None:
    """A process leaving on purpose (its tasks are over): its row goes, and with it any claim
    it would have left behind is free at once."""
    global _current
    with _lock:
        worker = current_worker()
        if not worker:
            return
        _current[2].set()
        _current = None
    WorkerHeartbeat.objects.filter(worker=worker).delete()


def beat(worker: str, *, now: datetime | None = None) -> None:
    """Say that ``worker`` is alive; its row comes back if the cleanup of another took it."""
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker=worker).update(last_seen=now):
        WorkerHeartbeat.objects.get_or_create(worker=worker, defaults={"started_at": now, "last_seen": now})


def _keep_beating(worker: str, stop: threading.Event) -> None:
    while not stop.wait(BEAT_EVERY.total_seconds()):
        try:
            close_old_connections()  # this thread's own connection, kept as CONN_MAX_AGE says
            beat(worker)
        except Exception:  # the database is away: the next beat tries again
            logger.warning("worker %s could not write its heartbeat", worker, exc_info=True)
            close_old_connections()


def live_workers(*, now: datetime):
    """The ids of the worker processes seen within ``LOST_AFTER`` (a subquery)."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=now - LOST_AFTER).values("worker")


def lost_claim(*, now: datetime, timeout: timedelta) -> Q:
    """Rows (with ``claimed_at`` and ``claimed_by``) whose claim is lost: its worker is not
    alive, or the claim is older than ``timeout`` whoever made it.

    A claim younger than ``LOST_AFTER`` is never lost: its worker was alive when it made it, and
    a sweeper whose snapshot predates that worker's first beat cannot mistake it for a dead one
    (PostgreSQL re-reads a row another UPDATE just claimed, but not the subquery)."""
    dead = ~Q(claimed_by="") & ~Q(claimed_by__in=live_workers(now=now)) & Q(claimed_at__lt=now - LOST_AFTER)
    return Q(claimed_at__lt=now - timeout) | dead
