"""Persistence for bc-tui: one TinyDB JSON file, cached in memory, written atomically.

Import from here: ``Store`` (open a database, read tables, run transactions),
``restore_backup``, and the ``StoreError`` family whose ``str()`` is a message for the user.
This package depends on TinyDB and filelock only: no Textual, no business rules.
"""

from .database import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    Transaction,
    copy_database,
    displaced_path,
    restore_backup,
)
from .errors import (
    BackupMissing,
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseMigrationFailed,
    DatabaseNotFound,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnusable,
    DatabaseWriteFailed,
    EventsCorrupt,
    NothingToRestore,
    StoreError,
    backup_path,
    events_path,
    lock_path,
)
from .storage import CachedAtomicStorage

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "BackupMissing",
    "CachedAtomicStorage",
    "DatabaseBusy",
    "DatabaseCorrupt",
    "DatabaseMigrationFailed",
    "DatabaseNotFound",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DatabaseUnusable",
    "DatabaseWriteFailed",
    "EventsCorrupt",
    "NothingToRestore",
    "Store",
    "StoreError",
    "Transaction",
    "backup_path",
    "copy_database",
    "displaced_path",
    "events_path",
    "lock_path",
    "restore_backup",
]
