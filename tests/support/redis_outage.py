"""A Redis that refuses and a Redis that accepts and never answers, both on loopback, and a switch
that points the broker and the cache at one of them the way ``REDIS_URL`` would."""

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from celery import current_app
from django.conf import settings
from django.test import override_settings


class SilentServer:
    """A server that accepts every connection and never says a word (a hung Redis or database,
    a dead machine behind a live load balancer), holding what it accepted."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.server.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept_and_hold, daemon=True).start()

    def _accept_and_hold(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:  # closed: the test is over
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.accepted:
            connection.close()


@contextmanager
def silent_redis() -> Iterator[str]:
    """A hung Redis; yields its redis:// address."""
    silent = SilentServer()
    try:
        yield silent.url
    finally:
        silent.close()


@contextmanager
def refusing_redis() -> Iterator[str]:
    """An address where the connection is refused at once (Redis stopped); yields it."""
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    yield f"redis://127.0.0.1:{port}/0"


OUTAGES = {"refused": refusing_redis, "hung": silent_redis}


@contextmanager
def redis_at(url: str) -> Iterator[None]:
    """Celery publishes to ``url`` and the cache lives there, with the production options."""
    app = current_app._get_current_object()
    saved = app.conf.broker_url

    def reconnect(broker_url: str) -> None:
        app.conf.broker_url = broker_url
        app._pool = None  # the pools are kept per broker address, open, for the way back
        app.amqp._producer_pool = None

    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": settings.REDIS_CACHE_OPTIONS,
    }
    reconnect(url)
    try:
        with override_settings(CACHES={"default": cache}):
            yield
    finally:
        reconnect(saved)


@contextmanager
def redis_outage(kind: str) -> Iterator[Callable[[], int]]:
    """Redis ``refused`` or ``hung`` for everything the web process asks of it; yields a count of
    the connections a hung Redis has held so far, each one a wait of at most ``REDIS_TIMEOUT``
    (always 0 for a refusing Redis, which never makes anyone wait)."""
    if kind == "hung":
        silent = SilentServer()
        try:
            with redis_at(silent.url):
                yield lambda: len(silent.accepted)
        finally:
            silent.close()
    else:
        with OUTAGES[kind]() as url, redis_at(url):
            yield lambda: 0
