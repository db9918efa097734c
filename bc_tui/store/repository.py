"""Typed access to the store: services read and write domain objects, never raw documents.

Reads go through `Repository`; writes only through the `Writer` a transaction hands out, so
every change lands in the one atomic write of its service call.

Each table a service reads is decoded once into objects, with an index per combination of
fields it is searched by (built on first use), and kept in step by the `Writer`: so a lookup
by id costs a dict access, not a scan of 10,000 documents, and a change costs what it
changes. The memo belongs to one version of the parsed file: when the store reloads (another
process wrote, a transaction rolled back) the document is a new object and the memo is
rebuilt from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from itertools import repeat
from typing import Any, TypeVar

from bc_tui.store.database import Store, Transaction
from bc_tui.store.eventlog import EventLog
from bc_tui.store.records import (
    TABLES,
    column_reader,
    encode_value,
    from_doc,
    repeating_fields,
    stored_defaults,
    to_doc,
)

T = TypeVar("T")

#: The values of some fields of one object, as an index key.
Key = tuple[Any, ...]


def _key(value: Any) -> Any:
    """An index key part, the same for a field's stored and decoded value: enums by value
    (so `status="BOUND"` and `status=BOUND` agree), times as stored, lists as tuples."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(map(_key, value))
    return value


def _stored_key(value: Any) -> Any:
    """`_key` of a stored value (plain JSON: only lists differ)."""
    return tuple(map(_stored_key, value)) if type(value) is list else value


def _share_values(cls: type, raw: dict[str, dict[str, Any]]) -> None:
    """Make equal values of the fields that repeat (ids of Business Centers, enums, lists of
    enums: strings, and lists of strings) one object, in place: the parser makes a new one
    for every occurrence. At 10,000 accounts that is ~3 MiB less memory for ~7 ms, once per
    load. Equal lists become one list: stored documents are never changed in place (a write
    replaces a field's value)."""
    docs = list(raw.values())
    for name in repeating_fields(cls):
        shared: dict[Any, Any] = {}
        share = shared.setdefault
        for doc in docs:
            value = doc.get(name)
            if value.__class__ is str:
                doc[name] = share(value, value)
            elif value.__class__ is list:
                key = tuple(value)
                try:  # (not `suppress`: a context manager per document costs ~3 ms here)
                    kept = share(key, value)
                except TypeError:  # an unhashable item (not one of ours): left as it is
                    continue
                if kept is value and not all(item.__class__ is str for item in value):
                    del shared[key]  # 1, 1.0 and True are equal: only lists of strings
                    continue
                doc[name] = kept


class _Table:
    """One table's documents by id, in file order, with indexes by field values; each
    document becomes an object the first time it is read (a view that reads a few fields of
    every row, `Repository.values`, builds none)."""

    __slots__ = ("cls", "indexes", "objects", "raw")

    def __init__(self, cls: type, raw: dict[str, dict[str, Any]]) -> None:
        self.cls = cls
        self.raw = raw
        self.objects: dict[str, Any] = {}
        self.indexes: dict[tuple[str, ...], dict[Key, list[str]]] = {}
        if not isinstance(raw, EventLog):
            _share_values(cls, raw)

    def get(self, doc_id: str) -> Any:
        obj = self.objects.get(doc_id)
        if obj is None:
            obj = self.objects[doc_id] = from_doc(self.cls, self.raw[doc_id])
        return obj

    def ids(self, match: Mapping[str, Any]) -> list[str]:
        """Ids of the documents whose fields equal `match`, in file order."""
        if not match:
            return list(self.raw)
        fields = tuple(sorted(match))
        index = self.indexes.get(fields)
        if index is None:
            index = self.indexes[fields] = {}
            defaults = stored_defaults(self.cls)
            columns = [  # as `_index_key`, a column at a time (10,000 documents: ~3 ms)
                list(map(dict.get, self.raw.values(), repeat(name), repeat(defaults.get(name))))
                for name in fields
            ]
            for at, column in enumerate(columns):
                if list in set(map(type, column)):  # (else every value is its own key)
                    columns[at] = list(map(_stored_key, column))
            for doc_id, key in zip(self.raw, zip(*columns, strict=True), strict=True):
                index.setdefault(key, []).append(doc_id)
        return index.get(tuple(_key(match[name]) for name in fields), [])

    def added(self, doc_id: str, obj: Any) -> None:
        """`obj` was stored as document `doc_id` (in `raw` already)."""
        self.objects[doc_id] = obj
        doc = self.raw[doc_id]
        for fields, index in self.indexes.items():
            index.setdefault(self._index_key(doc, fields), []).append(doc_id)

    def updated(self, doc_ids: list[str], fields: Iterable[str]) -> None:
        changed = set(fields)
        for doc_id in doc_ids:
            self.objects.pop(doc_id, None)  # decoded again when next read
        # An index over a changed field is rebuilt on its next use (keeps file order).
        for indexed in [f for f in self.indexes if changed.intersection(f)]:
            del self.indexes[indexed]

    def removed(self, gone: dict[str, dict[str, Any]]) -> None:
        """`gone`: the removed documents by id, read before they were removed."""
        for doc_id, doc in gone.items():
            self.objects.pop(doc_id, None)
            for fields, index in self.indexes.items():
                index[self._index_key(doc, fields)].remove(doc_id)

    def _index_key(self, doc: dict[str, Any], fields: tuple[str, ...]) -> Key:
        """A stored document's key in the index over `fields`: every key is made from the
        stored values (never from objects), so entries always agree with each other."""
        defaults = stored_defaults(self.cls)
        return tuple(_stored_key(doc.get(name, defaults.get(name))) for name in fields)


class Repository:
    """Reads domain objects from the store's in-memory document (no file access per read)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._tables: dict[type, _Table] = {}

    def _stored(self, cls: type) -> dict[str, dict[str, Any]] | EventLog | None:
        """The stored table of `cls` as the store holds it now (None if it has none)."""
        return self.store.storage.read().get(TABLES[cls])

    def _table(self, cls: type) -> _Table:
        """The memo of `cls`'s table, rebuilt if the document it was made from was replaced."""
        raw = self._stored(cls)
        if raw is None:
            raw = {}
        table = self._tables.get(cls)
        if table is None or table.raw is not raw:
            table = self._tables[cls] = _Table(cls, raw)
        return table

    def _current(self, cls: type) -> _Table | None:
        """The memo of `cls` if it is up to date, without building one."""
        table = self._tables.get(cls)
        raw = self._stored(cls)
        return table if table is not None and table.raw is raw else None

    def all(self, cls: type[T]) -> list[T]:
        table = self._table(cls)
        return [table.get(doc_id) for doc_id in table.raw]

    def find(self, cls: type[T], **match: Any) -> list[T]:
        table = self._table(cls)
        return [table.get(doc_id) for doc_id in table.ids(match)]

    def first(self, cls: type[T], **match: Any) -> T | None:
        table = self._table(cls)
        ids = table.ids(match)
        return table.get(ids[0]) if ids else None

    def values(self, cls: type, names: Sequence[str], **match: Any) -> list[tuple[Any, ...]]:
        """The fields `names` of each object of `cls` matching `match`, decoded as the objects
        would have them, in file order, without building the objects.

        For the views that read a few fields of thousands of rows: the TikTok accounts list
        reads four fields of 10,000 links, and decoding whole objects (every field, times
        included) was half of building it."""
        return list(zip(*self.value_columns(cls, names, **match), strict=True))

    def value_columns(self, cls: type, names: Sequence[str], **match: Any) -> list[list[Any]]:
        """`values` a column at a time: one list per name, for a view that works a column at
        a time."""
        table = self._table(cls)
        docs = [table.raw[doc_id] for doc_id in table.ids(match)]
        return [column_reader(cls, name)(docs) for name in names]

    def documents(self, cls: type[T]) -> Sequence[dict[str, Any]]:
        """The stored documents of `cls` as they are, read-only, without building objects,
        in stored order and indexable.

        For the few reads that must scan a very large table (the activity log at 100,000
        events) and turn only the rows they show into objects (`from_doc`). The audit log's
        documents are decoded only as they are iterated or indexed."""
        table = self._stored(cls) or {}
        return table.documents() if isinstance(table, EventLog) else list(table.values())

    def columns(self, cls: type, *names: str, start: int = 0) -> list[list[Any]]:
        """Some fields' stored values (as in the file: enums as strings, times as ISO 8601)
        of the documents of `cls` from position `start` on, one list per name, in stored
        order, without decoding the documents (the audit log reads them off its raw lines).
        Positions match `documents(cls)`."""
        table = self._stored(cls) or {}
        if isinstance(table, EventLog):
            return table.columns(*names, start=start)
        defaults = stored_defaults(cls)
        docs = list(table.values())[start:]
        return [[doc.get(name, defaults.get(name)) for doc in docs] for name in names]

    def log_search(self, cls: type, text: str, positions: Iterable[int]) -> list[int] | None:
        """Of `positions`, the documents of the audit log whose stored line may contain
        `text` in a string (ASCII letters in any case): a prefilter, so a filter decodes
        only those. None when it cannot narrow them (another table, or a text as a line
        does not store it: non-ASCII, quotes, backslashes, control characters)."""
        table = self._stored(cls)
        return table.search(text, positions) if isinstance(table, EventLog) else None

    def log_mark(self, cls: type) -> tuple[str, int] | None:
        """For the append-only audit log: (epoch, documents). While the epoch stays the
        same, documents are only added after that many, so a reader may keep what it read
        and read only the rest. None for other tables, and inside a transaction that added
        events (they are not there for good yet)."""
        table = self._stored(cls)
        if not isinstance(table, EventLog) or table.pending:  # a rollback may drop those
            return None
        return table.mark()

    def count(self, cls: type[T], **match: Any) -> int:
        return len(self._table(cls).ids(match))

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One store transaction: everything written inside lands in one atomic file write."""
        with self.store.transaction() as tx:
            yield Writer(tx, self)


class Writer:
    """Writes domain objects inside one store transaction, keeping the repository's memo."""

    def __init__(self, tx: Transaction, repo: Repository) -> None:
        self._tx = tx
        self._repo = repo

    def insert(self, obj: Any) -> None:
        self.insert_many([obj])

    def insert_many(self, objs: list[Any]) -> None:
        by_class: dict[type, list[Any]] = {}
        for obj in objs:
            by_class.setdefault(type(obj), []).append(obj)
        for cls, group in by_class.items():
            memo = self._repo._current(cls)
            doc_ids = self._tx.table(TABLES[cls]).insert_multiple([to_doc(o) for o in group])
            if memo is not None and self._repo._current(cls) is memo:
                for doc_id, obj in zip(doc_ids, group, strict=True):
                    memo.added(str(doc_id), obj)

    def update(self, cls: type[T], match: dict[str, Any], **changes: Any) -> int:
        """Set `changes` on every object of `cls` matching `match`; returns how many."""
        memo = self._repo._table(cls)
        doc_ids = list(memo.ids(match))
        if doc_ids:
            encoded = {key: encode_value(value) for key, value in changes.items()}
            self._tx.table(TABLES[cls]).update(encoded, doc_ids=[int(i) for i in doc_ids])
            memo.updated(doc_ids, changes)
        return len(doc_ids)

    def remove(self, cls: type[T], **match: Any) -> int:
        """Delete every object of `cls` matching `match`; returns how many."""
        memo = self._repo._table(cls)
        doc_ids = list(memo.ids(match))
        if doc_ids:
            gone = {doc_id: memo.raw[doc_id] for doc_id in doc_ids}
            self._tx.table(TABLES[cls]).remove(doc_ids=[int(i) for i in doc_ids])
            memo.removed(gone)
        return len(doc_ids)
