"""The outbox's registries: the kinds of domain event, and who reads them.

Each app registers the kinds it records (bookings its ``EventKind``, loyalty its own, from
``AppConfig.ready``) with their names for the event log, and each consumer the kinds it
reads and the task, by name, that processes one event for it. ``record_event`` writes one
delivery per consumer of the event's kind and hands the event to each consumer's task after
commit; the kind strings themselves are constants of the app that records them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

_NAMES: dict[str, Promise | str] = {}


@dataclass(frozen=True)
class Consumer:
    """``kinds`` None: every kind. ``task`` is called with the event's id. A consumer that
    ``drains`` empties its backlog in batches when behind, and its events then need no task
    of their own (``bookings_app.core.draining``)."""

    name: str
    task: str
    kinds: frozenset[str] | None
    drains: bool = False


_CONSUMERS: dict[str, Consumer] = {}


def register_event_kinds(kinds: Iterable[tuple[str, Promise | str]]) -> None:
    """``(kind, name)`` pairs, such as a ``TextChoices``' ``choices``."""
    for kind, name in kinds:
        if _NAMES.get(kind, name) != name:
            raise ImproperlyConfigured(f"event kind {kind!r} is registered twice")
        _NAMES[kind] = name


def kind_label(kind: str) -> Promise | str:
    """The kind's name; a kind nobody registered (its app removed) shows as stored."""
    return _NAMES.get(kind, kind)


def register_consumer(
    name: str, *, task: str, kinds: Iterable[str] | None = None, drains: bool = False
) -> None:
    if name in _CONSUMERS:
        raise ImproperlyConfigured(f"event consumer {name!r} is registered twice")
    _CONSUMERS[name] = Consumer(
        name=name, task=task, kinds=None if kinds is None else frozenset(kinds), drains=drains
    )


def consumers_of(kind: str) -> list[Consumer]:
    return [consumer for consumer in _CONSUMERS.values() if consumer.kinds is None or kind in consumer.kinds]
