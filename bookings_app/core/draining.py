"""Fewer tasks than events while a consumer's workers are behind.

Each committed event is handed to its consumer's task, one task per event. In a burst (a
class opening, an import) the workers fall behind and a task takes the waiting events along
in batches; the other tasks then only find their event done, yet each still costs the broker
and a worker as much as a run's own work. A consumer that ``drains`` (``register_consumer``)
says so here while it empties its backlog: its workers keep claiming batches of waiting events
until none is left, and meanwhile new events are not handed over one by one.

Nothing is lost in between, by the order of the two sides: the drainer clears the flag
*before* its last look for waiting events; an event is committed *before* its hand-over reads
the flag. So an event that saw the flag was committed before the drainer's last look, which
finds it. The flag lives in the default cache (Redis, or the embedded default's file cache,
both shared by every process) and expires after ``FLAG_SECONDS``: a drainer that dies leaves
at most that long of events to the consumer's sweep. A cache that fails counts as "not
draining": every event is handed over, as before.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

FLAG_SECONDS = 2


def _key(consumer: str) -> str:
    return f"outbox-draining:{consumer}"


def is_draining(consumer: str) -> bool:
    try:
        return bool(cache.get(_key(consumer)))
    except Exception:
        logger.warning("could not read whether %s is draining; handing the event over", consumer)
        return False


def keep_draining(consumer: str) -> None:
    """Said by a drainer before each batch: new events need no task of their own for a while."""
    try:
        cache.set(_key(consumer), 1, timeout=FLAG_SECONDS)
    except Exception:
        logger.warning("could not say that %s is draining; its events keep their tasks", consumer)


def stop_draining(consumer: str) -> None:
    """Said by a drainer before its last look for waiting events."""
    try:
        cache.delete(_key(consumer))
    except Exception:
        logger.warning("could not say that %s stopped draining; its sweep takes what is left", consumer)
