"""Races: real threads released at the same moment, each on its own database connection.

Every race test goes through ``race``, so each one starts its contenders together the same way
and none leaves a connection open behind it (PostgreSQL would refuse to drop the test database).
"""

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection, connections

CROWD = 50 if connection.vendor == "postgresql" else 12
"""How many clients rush at once: SQLite serialises writers, so a smaller crowd proves as much."""


def race(
    attempt: Callable[[Any], Any],
    contenders: Iterable,
    *,
    refused: type[Exception] | tuple[type[Exception], ...] = (),
    get_ready: Callable[[Any], Any] | None = None,
    timeout: float = 30,
) -> list:
    """Call ``attempt`` for every contender at once, one thread each, and give back, in the
    contenders' order, what each call returned or the ``refused`` exception it raised.

    ``get_ready`` runs in each thread before the start (opening a form, say) and its result is
    what ``attempt`` gets; any other exception fails the race."""
    contenders = list(contenders)
    start = threading.Barrier(len(contenders), timeout=timeout)

    def contend(contender):
        try:
            ready = get_ready(contender) if get_ready else contender
            start.wait()
            return attempt(ready)
        except refused as refusal:
            return refusal
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(contenders)) as pool:
        return list(pool.map(contend, contenders))


def in_words(outcomes: list, *, success: str) -> list[str]:
    """Each outcome as the person would read it: ``success``, or the refusal's message."""
    return [
        str(getattr(outcome, "message", outcome)) if isinstance(outcome, Exception) else success
        for outcome in outcomes
    ]
