"""The TinyDB tables the Store hands out: one that refuses writes, one bound to a transaction.

Their own module, imported by the Store when a table is first asked for: tinydb's modules are
~3 ms of imports, and the app's first frame reads the document without a TinyDB table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tinydb.table import Table

from .eventlog import EventLog
from .storage import CachedAtomicStorage, IntKeyedTable

if TYPE_CHECKING:
    from .database import Transaction


class ReadTable(Table):
    """A table for reading; any write raises before TinyDB touches the in-memory document."""

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        raise RuntimeError(
            f"store.table({self.name!r}) is read-only: change data inside "
            f"`with store.transaction() as tx:` using tx.table({self.name!r})"
        )


class TxTable(Table):
    """A table bound to one transaction: usable only while it is open.

    Replaces TinyDB's ``_update_table`` (which copies the whole table twice per operation) with
    an in-place update through ``IntKeyedTable``, and records which tables were written so the
    commit can report ``last_changed``. The storage is marked dirty even if the updater raises
    part-way, so a rollback always re-reads what it may have half-changed.
    """

    def __init__(self, transaction: Transaction, storage: CachedAtomicStorage, name: str):
        super().__init__(storage, name, cache_size=0)
        self._transaction = transaction
        self._storage: CachedAtomicStorage = storage
        self._appending = False

    def _get_next_id(self) -> int:
        # TinyDB counts on from the first id within one Table; the first comes from the storage.
        if self._next_id is None:
            self._next_id = self._storage.first_free_id(self.name)
        return super()._get_next_id()

    def insert(self, document: Mapping[str, Any]) -> int:
        if not isinstance(document, Mapping):
            raise ValueError("Document is not a Mapping")
        return self.insert_multiple([document])[0]

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        """TinyDB's insert, noting the new ids: a commit then appends them to the table's
        JSON instead of encoding all of it (the audit log gains one event per change)."""
        self._appending = True
        try:
            doc_ids = super().insert_multiple(documents)
        finally:
            self._appending = False
        self._storage.note_inserted(self.name, doc_ids)
        appended = self._transaction._changes.get(self.name, [])
        if appended is not None:
            appended += [str(doc_id) for doc_id in doc_ids]
        return doc_ids

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        self._transaction._check_active()
        tables = self.storage.read()
        raw = tables.get(self.name)
        if raw is None:
            raw = tables[self.name] = self._storage.new_table(self.name)
        if isinstance(raw, EventLog) and not self._appending:
            # TinyDB would update a decoded copy, and the change would silently not be saved.
            raise TypeError(f"{self.name} is append-only: its documents cannot be changed")
        changes = self._transaction._changes
        try:
            updater(IntKeyedTable(raw))  # type: ignore[arg-type]
        finally:
            self._transaction._written.add(self.name)
            if self._appending:
                changes.setdefault(self.name, [])
            else:
                changes[self.name] = None  # changed in place: encode the whole table again
            self.storage.write(tables)
        self.clear_cache()
