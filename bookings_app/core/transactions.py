"""Batches that commit as one: no savepoints, inserts together, hand-overs together.

A nested ``transaction.atomic()`` costs two round trips to the database (SAVEPOINT and
RELEASE), and each new row one more. Work done in batches (automation runs) first tries the
whole batch inside ``all_or_nothing()``. There ``attempt()`` takes no savepoint, so any
error spoils the whole transaction, which rolls back, and the caller does the batch again
piece by piece, where ``attempt()`` is an ordinary savepoint; rows given to ``insert()`` are
written with the others of their kind in one statement as the block ends; and what
``on_commit_together()`` hands over after commit goes in one call.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.transaction import TransactionManagementError


class SpoiledTransaction(TransactionManagementError):
    """An error was caught inside ``all_or_nothing()``: nothing of it was kept."""


@dataclass
class _Batch:
    inserts: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    after_commit: dict[Callable, list] = field(default_factory=dict)

    def write(self) -> None:
        """The rows waiting, kind by kind in the order each kind first came (a message
        before the rows pointing to it)."""
        for model, rows in self.inserts.items():
            model.objects.bulk_create(rows)
        self.inserts.clear()


_batch: ContextVar[_Batch | None] = ContextVar("all_or_nothing", default=None)


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """A transaction in which any error, even one caught inside, rolls everything back and
    reaches the caller."""
    batch = _Batch()
    token = _batch.set(batch)
    try:
        with transaction.atomic():
            yield
            batch.write()
            if transaction.get_rollback():  # caught inside, where no savepoint could undo it
                raise SpoiledTransaction("an error inside all_or_nothing() was caught and ignored")
    finally:
        _batch.reset(token)


def attempt() -> transaction.Atomic:
    """``transaction.atomic()`` whose error the caller may catch and carry on from, except
    inside ``all_or_nothing()``, where it takes no savepoint and an error spoils the whole."""
    return transaction.atomic(savepoint=_batch.get() is None)


def insert(row: models.Model) -> None:
    """Save a new row: at once, or inside ``all_or_nothing()`` with the other new rows of its
    kind when the block ends (until then it has no primary key and no query finds it; a row
    pointing to it may be given too, after it). A duplicate key then spoils the batch."""
    batch = _batch.get()
    if batch is None:
        row.save(force_insert=True)
    else:
        batch.inserts.setdefault(type(row), []).append(row)


def on_commit_together(hand_over: Callable[[list], None], item: object) -> None:
    """``hand_over([item])`` after commit; inside ``all_or_nothing()``, ``hand_over`` once
    after commit with every item given to it in the block."""
    batch = _batch.get()
    if batch is None:
        transaction.on_commit(lambda: hand_over([item]))
        return
    if hand_over not in batch.after_commit:
        items = batch.after_commit[hand_over] = []
        transaction.on_commit(lambda: hand_over(items))
    batch.after_commit[hand_over].append(item)
