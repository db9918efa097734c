"""Typed access to the store: services read and write domain objects, never raw documents.

Reads go through `Repository`; writes only through the `Writer` a transaction hands out, so
every change lands in the one atomic write of its service call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from tinydb import Query

from bc_tui.store.database import Store, Transaction
from bc_tui.store.records import TABLES, encode_value, from_doc, to_doc

T = TypeVar("T")


def _fragment(match: dict[str, Any]) -> Any:
    return Query().fragment({key: encode_value(value) for key, value in match.items()})


class Repository:
    """Reads domain objects from the store's in-memory document (no file access per read)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self, cls: type[T]) -> list[T]:
        return [from_doc(cls, doc) for doc in self.store.table(TABLES[cls]).all()]

    def find(self, cls: type[T], **match: Any) -> list[T]:
        table = self.store.table(TABLES[cls])
        return [from_doc(cls, doc) for doc in table.search(_fragment(match))]

    def first(self, cls: type[T], **match: Any) -> T | None:
        doc = self.store.table(TABLES[cls]).get(_fragment(match))
        return None if doc is None else from_doc(cls, doc)  # type: ignore[arg-type]

    def documents(self, cls: type[T]) -> Iterable[dict[str, Any]]:
        """The stored documents of `cls` as they are, read-only, without building objects.

        For the few reads that must scan a very large table (the activity log at 100,000
        events) and turn only the rows they show into objects (`from_doc`)."""
        return self.store.storage.read().get(TABLES[cls], {}).values()

    def count(self, cls: type[T], **match: Any) -> int:
        return self.store.table(TABLES[cls]).count(_fragment(match))

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One store transaction: everything written inside lands in one atomic file write."""
        with self.store.transaction() as tx:
            yield Writer(tx)


class Writer:
    """Writes domain objects inside one store transaction."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def insert(self, obj: Any) -> None:
        self._tx.table(TABLES[type(obj)]).insert(to_doc(obj))

    def insert_many(self, objs: list[Any]) -> None:
        by_table: dict[str, list[dict[str, Any]]] = {}
        for obj in objs:
            by_table.setdefault(TABLES[type(obj)], []).append(to_doc(obj))
        for name, docs in by_table.items():
            self._tx.table(name).insert_multiple(docs)

    def update(self, cls: type[T], match: dict[str, Any], **changes: Any) -> int:
        """Set `changes` on every object of `cls` matching `match`; returns how many."""
        encoded = {key: encode_value(value) for key, value in changes.items()}
        return len(self._tx.table(TABLES[cls]).update(encoded, _fragment(match)))

    def remove(self, cls: type[T], **match: Any) -> int:
        """Delete every object of `cls` matching `match`; returns how many."""
        return len(self._tx.table(TABLES[cls]).remove(_fragment(match)))
