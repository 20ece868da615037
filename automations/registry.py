"""A registry: named entries other code looks up by key (triggers, criteria, actions)."""

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured


class Keyed(Protocol):
    key: str


Entry = TypeVar("Entry", bound=Keyed)


class Registry(Generic[Entry]):
    """Entries in the order they were registered; a key registered twice is a programming error."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, Entry] = {}

    def register(self, entry: Entry) -> Entry:
        if entry.key in self._entries:
            raise ImproperlyConfigured(f"{self.what} {entry.key!r} is registered twice")
        self._entries[entry.key] = entry
        return entry

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def keys(self) -> list[str]:
        return list(self._entries)
