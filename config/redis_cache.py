"""The cache's connections to Redis give up for a while once Redis has failed them.

``socket_connect_timeout`` and ``socket_timeout`` bound one wait on a hung Redis; a request
that touches the cache several times (a sign-in counts by address and by device) would still
pay it at each touch, and so would every request after it. Here the first failure is
remembered per Redis address for ``COOL_OFF`` seconds, during which connecting raises at once
without a word to Redis; the callers already decide what a failed cache call means.
"""

import time

from redis import ConnectionPool
from redis.exceptions import ConnectionError, TimeoutError

COOL_OFF = 10.0  # seconds
_failed_at: dict[tuple, float] = {}  # (host, port, db) -> monotonic time of the last failure


class _GivesUp:
    """Mixed into redis-py's connection classes (plain or TLS)."""

    def _address(self) -> tuple:
        return (getattr(self, "host", None), getattr(self, "port", None), getattr(self, "db", None))

    def connect(self):
        failed_at = _failed_at.get(self._address())
        if failed_at is not None and time.monotonic() - failed_at < COOL_OFF:
            raise ConnectionError("Redis failed a moment ago; not tried again yet")
        try:
            return super().connect()
        except (ConnectionError, TimeoutError):
            _failed_at[self._address()] = time.monotonic()
            raise

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except (ConnectionError, TimeoutError):
            _failed_at[self._address()] = time.monotonic()
            raise
        _failed_at.pop(self._address(), None)
        return response


_GIVING_UP_CLASSES: dict[type, type] = {}


def _giving_up(connection_class: type) -> type:
    if connection_class not in _GIVING_UP_CLASSES:
        _GIVING_UP_CLASSES[connection_class] = type(
            f"GivingUp{connection_class.__name__}", (_GivesUp, connection_class), {}
        )
    return _GIVING_UP_CLASSES[connection_class]


class GivingUpConnectionPool(ConnectionPool):
    """``CACHES["default"]["OPTIONS"]["pool_class"]``: redis-py's pool, its connections giving up."""

    def __init__(self, connection_class=None, **kwargs):
        from redis import Connection

        super().__init__(connection_class=_giving_up(connection_class or Connection), **kwargs)
