"""The database handle: open/validate/migrate/back up a TinyDB file, and transactions on it.

One ``Store`` per process per file. Reads go straight to the in-memory document
(``store.table(name)``); every change goes through ``with store.transaction() as tx:`` which

1. takes the cross-process lock (``<path>.lock``, via filelock),
2. re-reads the file if another process replaced it, so the change lands on top of theirs,
3. lets the caller change tables through ``tx.table(name)`` (in memory only),
4. writes the file once, atomically, when the outermost ``with`` block ends normally, or
   re-reads it (discarding the changes) when the block raises.

``revision`` and ``last_changed`` let the UI refresh only what changed: the app calls
``store.refresh()`` on a timer to notice other processes' writes.

This module is persistence only: it knows tables and documents, not accounts or members.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from itertools import chain, count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    BackupMissing,
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseMigrationFailed,
    DatabaseNotFound,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnusable,
    NothingToRestore,
    StoreError,
    backup_path,
    events_path,
    lock_path,
)
from .storage import (
    CachedAtomicStorage,
    Changes,
    Document,
    atomic_write,
    check_log,
    check_shape,
    not_a_file_error,
    parse_document,
    read_bytes,
    signature_of,
)

if TYPE_CHECKING:
    import filelock
    from tinydb.table import Table

    from .tables import TxTable

__all__ = [
    "META_TABLE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Store",
    "Transaction",
    "copy_database",
    "displaced_path",
    "restore_backup",
]

#: The schema this program reads and writes. Bump it together with a MIGRATIONS entry.
SCHEMA_VERSION = 2

#: The append-only table kept in the side file ``<path>.events`` (see ``eventlog``).
LOG_TABLE = "audit_events"


def _audit_log_to_side_file(data: dict[str, Any]) -> None:
    """1 -> 2: the audit log moves out of the main file into ``<path>.events``.

    A migration must not write files, so this only checks the old table: the storage turns a
    log table it finds inside a main document into pending lines, which the open's migration
    commit appends to the side file (fsynced) before it replaces the main file without them.
    Until then the old file is untouched; a crash in between leaves an uncommitted tail that
    the v1 file (which records no side file) ignores. The version bump is what stops an
    older bc-tui from writing a v2 file, whose audit log it would not see.
    """
    events = data.get(LOG_TABLE, {})
    if not isinstance(events, dict):
        raise ValueError(f"{LOG_TABLE} is not a table")


#: ``MIGRATIONS[v](document)`` upgrades the raw document from version v to v+1 in place.
#: The store then sets ``schema_version`` to v+1 itself; a migration must not write files.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {1: _audit_log_to_side_file}

#: How often a waiting writer retries the lock. filelock polls (its default is 50 ms); a
#: transaction takes a few ms, so a short interval keeps the wait close to the real contention.
LOCK_POLL_INTERVAL = 0.005

#: The table that holds ``{"schema_version": N}``.
META_TABLE = "_meta"


def new_document() -> Document:
    """The content of a brand-new database."""
    return {META_TABLE: {"1": {"schema_version": SCHEMA_VERSION}}}


def copy_database(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Copy the database at ``source`` to ``target`` with its audit log side file (if any).

    The main file alone is not the whole database any more; copying it without its side file
    makes a file that is refused as corrupt. The side file is copied first: it is
    append-only, so the copy holds at least what the copied main file records. Not atomic
    and takes no lock: for fixtures, tests and benchmarks, not for a database in use.
    """
    source_events = events_path(source)
    if source_events.exists():
        shutil.copyfile(source_events, events_path(target))
    shutil.copyfile(source, target)


def _keep_events(db: Path, current_raw: bytes, displaced: Path) -> None:
    """Copy the audit events that the file being displaced by a restore commits to the side
    file of `displaced`, where that file is kept (called under the lock).

    The restored file commits fewer events, so its next commit truncates the shared side
    file to them, and the displaced file would then no longer open. If the displaced file
    or the side file cannot be read as it should, the whole side file is kept as it is.
    """
    side, kept = events_path(db), events_path(displaced)
    try:
        events = side.read_bytes()
    except FileNotFoundError:
        return  # (the displaced file has none)
    except OSError as error:
        raise DatabaseUnusable(db, f"Cannot read {side}: {error.strerror or error}.") from None
    try:
        record, _ = check_log(parse_document(current_raw, db), db)
        events = events[: record["bytes"]]
    except StoreError:
        pass  # damaged: keep everything there is
    atomic_write(kept, events)


def displaced_path(path: str | os.PathLike[str]) -> Path:
    """Where ``restore_backup`` would keep the file it replaces now: ``<path>.before-restore``,
    or, if an earlier restore kept one there, ``<path>.before-restore-2``, ``-3``... A second
    restore wrote over the first's, and with it the newest data, the one it had replaced."""
    p = Path(path)
    names = chain([f"{p.name}.before-restore"], (f"{p.name}.before-restore-{n}" for n in count(2)))
    return next(
        kept
        for kept in map(p.with_name, names)
        if not os.path.lexists(kept) and not os.path.lexists(events_path(kept))
    )


def _stale_temp_pattern(path: Path) -> re.Pattern[str]:
    """Names of temp files our writes leave behind if the process is killed mid-write."""
    return re.compile(
        rf"\.{re.escape(path.name)}(\.bak|\.before-restore(\.events)?)?\.[a-z0-9_]{{8}}\.tmp",
        re.ASCII,
    )


def _meta_doc(data: Document, path: Path) -> dict[str, Any]:
    """The ``_meta`` document that carries ``schema_version``, or DatabaseCorrupt."""
    meta = data.get(META_TABLE)
    if meta is None:
        raise DatabaseCorrupt(path, f"it has no {META_TABLE} table")
    for doc in meta.values():
        if "schema_version" in doc:
            return doc
    raise DatabaseCorrupt(path, f"its {META_TABLE} table has no schema_version")


def _schema_version(data: Document, path: Path) -> int:
    """The file's schema version, checked to be a positive integer."""
    version = _meta_doc(data, path)["schema_version"]
    if type(version) is not int or version < 1:
        raise DatabaseCorrupt(path, f"schema_version {version!r} is not a positive whole number")
    return version


def _upgrade(data: Document, path: Path) -> int | None:
    """Check the schema version; migrate the document in memory if it is older.

    Returns the version migrated from, or None if the file was current. Reads the module
    globals at call time so tests (and future code) can change them.
    """
    version = _schema_version(data, path)
    known = SCHEMA_VERSION
    if version > known:
        raise DatabaseTooNew(path, version, known)
    if version == known:
        return None
    original = version
    while version < known:
        migration = MIGRATIONS.get(version)
        try:
            if migration is None:
                raise LookupError(f"this bc-tui has no migration from version {version}")
            migration(data)
        except Exception as error:
            raise DatabaseMigrationFailed(path, version, error) from error
        try:
            check_shape(data, path)
            _meta_doc(data, path)["schema_version"] = version + 1
        except DatabaseCorrupt as error:
            malformed = ValueError(f"it produced a malformed document: {error.reason}")
            raise DatabaseMigrationFailed(path, version, malformed) from error
        version += 1
    return original


def _thread_timeout(timeout: float) -> float:
    """threading.Lock wants -1 for 'forever'; filelock takes negative or infinite."""
    return -1 if timeout < 0 or math.isinf(timeout) else timeout


def _file_lock(path: Path) -> filelock.BaseFileLock:
    """The cross-process lock of the database at `path`. filelock is imported here, when a
    lock is first wanted: with what it imports it is ~8 ms, which a start that leaves its
    upkeep for later (`Store(upkeep_later=True)`) spends after its first frame."""
    import filelock

    return filelock.FileLock(str(lock_path(path)))


@contextmanager
def _holding(lock: filelock.BaseFileLock, path: Path, timeout: float) -> Iterator[None]:
    """Hold the cross-process lock, turning filelock's failures into StoreErrors."""
    import filelock

    try:
        lock.acquire(timeout=timeout, poll_interval=LOCK_POLL_INTERVAL)
    except filelock.Timeout:
        raise DatabaseBusy(path, timeout) from None
    except PermissionError:
        raise DatabaseReadOnly(path, "folder") from None
    except OSError as error:
        raise DatabaseUnusable(
            path,
            f"Cannot lock {path} ({lock_path(path)}: {error.strerror or error}). "
            f"Check the folder, or start a new database with `--db NEW_PATH`.",
        ) from error
    try:
        yield
    finally:
        lock.release()


class Transaction:
    """The handle yielded by ``Store.transaction()``; its tables write to memory only.

    The changes reach the file in one write when the outermost ``with`` block ends. Table
    objects are created fresh for each transaction because TinyDB caches the next document id
    per Table, which would clash with documents another process inserted meanwhile.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._tables: dict[str, TxTable] = {}
        self._written: set[str] = set()
        self._changes: Changes = {}
        self._active = True

    def table(self, name: str) -> Table:
        """The table ``name`` for reading and writing within this transaction."""
        self._check_active()
        table = self._tables.get(name)
        if table is None:
            from .tables import TxTable  # (see `bc_tui.store.tables`)

            table = self._tables[name] = TxTable(self, self._store._storage, name)
        return table

    @property
    def written(self) -> frozenset[str]:
        """Names of the tables written so far in this transaction."""
        return frozenset(self._written)

    def _check_active(self) -> None:
        if not self._active:
            raise RuntimeError("this transaction has ended; open a new store.transaction()")


def _back_up(path: Path, raw: bytes, mode: int) -> None:
    """Keep ``raw``, the file as it opened fine, as the backup of ``path`` (called under the
    lock), unless the backup already is a file of exactly these bytes with this mode:
    reopening a file nobody changed since (a look round, a demo) writes nothing, where
    rewriting it, 4 MB with its fsyncs at 10,000 accounts, was ~10 ms of every start.

    Only a regular file of the same size is read (not through a link, which might lead to
    the database itself, nor a pipe, which would block); anything else is replaced."""
    backup = backup_path(path)
    with suppress(OSError):  # no backup yet, or unreadable: write it
        st = os.lstat(backup)
        if (
            stat.S_ISREG(st.st_mode)
            and st.st_size == len(raw)
            and stat.S_IMODE(st.st_mode) == stat.S_IMODE(mode)
            and backup.read_bytes() == raw
        ):
            return
    atomic_write(backup, raw, mode=mode)


class Store:
    """One bc-tui database file: validated on open, read from memory, changed by transactions.

    ``readonly=True`` (for ``bc-tui export``) takes no lock, writes no backup and allows no
    transaction. Otherwise opening an existing file copies it to ``<path>.bak`` and upgrades
    it to ``SCHEMA_VERSION`` if it is older. Any refusal raises a ``StoreError`` whose
    ``str()`` is a one-line message for the user, and leaves the file byte-for-byte unchanged.

    ``upkeep_later=True`` (the app's start) opens an existing file that needs no upgrade
    without the lock, and leaves the backup (and the temp files a killed writer left) to
    `upkeep`, or to the first transaction if it comes first: taking the lock, with
    filelock's imports, and comparing the backup were ~10 ms before the first frame.
    """

    path: Path
    revision: int
    last_changed: frozenset[str]

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        readonly: bool = False,
        lock_timeout: float = 10.0,
        upkeep_later: bool = False,
    ) -> None:
        self.path = Path(path).expanduser()
        self.readonly = readonly
        self.lock_timeout = lock_timeout
        #: +1 on each commit that wrote and on each reload of another process's write.
        self.revision = 0
        #: Tables changed by the last commit; every table name after a reload.
        self.last_changed = frozenset()
        self._pending_migration: int | None = None
        self._storage = CachedAtomicStorage(self.path, prepare=self._prepare, log_table=LOG_TABLE)
        self._lock: filelock.BaseFileLock | None = None  # (made when first taken)
        self._upkeep_later = upkeep_later
        #: Whether opening left the backup and the temp files for `upkeep`.
        self._upkeep_due = False
        self._thread_lock = threading.RLock()
        self._transaction: Transaction | None = None
        self._depth = 0
        self._read_tables: dict[str, Table] = {}
        self._closed = False
        try:
            if readonly:
                self._open_readonly()
            else:
                self._open_for_writing()
        except BaseException:
            self._storage.close()
            raise

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "read-write"
        return f"<Store {str(self.path)!r} {mode} revision={self.revision}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def storage(self) -> CachedAtomicStorage:
        """The underlying TinyDB storage (counters ``loads``/``writes`` are handy in tests)."""
        return self._storage

    # -- opening ------------------------------------------------------------------------------

    def _prepare(self, data: Document) -> None:
        """Storage hook run on every freshly parsed file: schema check, in-memory migration."""
        migrated_from = _upgrade(data, self.path)
        if migrated_from is not None:
            self._pending_migration = migrated_from

    def _stat_existing(self) -> os.stat_result | None:
        """Stat the path; None if missing; StoreError if unusable (folder, bad parent...)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise DatabaseUnusable(
                self.path,
                f"Cannot use {self.path}: part of its folder path is a file, not a folder. "
                f"Choose another --db.",
            ) from None
        except OSError as error:
            raise DatabaseUnusable(
                self.path,
                f"Cannot use {self.path}: {error.strerror or error}. Check the path, or start "
                f"a new database with `--db NEW_PATH`.",
            ) from error
        if not stat.S_ISREG(st.st_mode):
            raise not_a_file_error(self.path, st)
        return st

    def _open_readonly(self) -> None:
        if self._stat_existing() is None:
            raise DatabaseNotFound(self.path)
        self._storage.load()
        # Any migration happened in memory only: a read-only open never writes.
        self._pending_migration = None

    def _open_for_writing(self) -> None:
        path = self.path
        folder = path.parent
        existing = self._stat_existing()
        if existing is None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except PermissionError:
                raise DatabaseReadOnly(path, "folder") from None
            except (FileExistsError, NotADirectoryError):
                raise DatabaseUnusable(
                    path, f"Cannot create {path}: {folder} is not a folder. Choose another --db."
                ) from None
            except OSError as error:
                raise DatabaseUnusable(
                    path,
                    f"Cannot create the folder {folder}: {error.strerror or error}. "
                    f"Choose another --db.",
                ) from error
        elif not os.access(path, os.W_OK):
            raise DatabaseReadOnly(path, "file")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise DatabaseReadOnly(path, "folder")
        if existing is not None and self._upkeep_later:
            # Read without the lock, as `refresh` does: writers replace the file whole (a
            # rename) and only add to the side file, so this reads one whole commit. What
            # needs the lock waits for `upkeep` or the first transaction; a migration
            # cannot wait (this would run on a document the file does not hold yet).
            self._storage.load()
            if self._pending_migration is None:
                self._upkeep_due = True
                return
        with self._holding_lock(self.lock_timeout):
            self._remove_stale_temps()
            if self._stat_existing() is None:
                # Created under the lock: two processes starting at once must not both create
                # (the second would overwrite the first's first writes).
                self._storage.begin()
                self._storage.write(new_document())
                self._storage.commit()
                return
            raw = self._storage.load()  # validates and migrates in memory; raises if unusable
            _back_up(path, raw, os.stat(path).st_mode)
            if self._pending_migration is not None:
                self._storage.begin()
                self._storage.write(self._storage.read())
                self._storage.commit()
            self._pending_migration = None

    def _holding_lock(self, timeout: float) -> AbstractContextManager[None]:
        if self._lock is None:
            self._lock = _file_lock(self.path)
        return _holding(self._lock, self.path, timeout)

    def upkeep(self, *, wait: float = 0.0) -> bool:
        """Do what an open with ``upkeep_later`` left, under the lock: delete the temp files a
        killed writer left, and back up the file as read (the version in memory, which was
        validated). The app calls it after its first frame (the first transaction does it,
        before it writes, if it comes first).

        Waits up to `wait` seconds for the lock. False if another process held it all that
        time, or changed the file since it was read (call again after `refresh`); True once
        done, or if there was nothing to do. A backup that cannot be written raises its
        StoreError and stays to do.
        """
        self._check_open()
        if not self._upkeep_due:
            return True
        if not self._thread_lock.acquire(blocking=False):
            return False  # a transaction is on (in another thread): it does the upkeep
        try:
            with self._holding_lock(wait):
                return self._do_upkeep()
        except DatabaseBusy:
            return False
        finally:
            self._thread_lock.release()

    def _do_upkeep(self) -> bool:
        """(Under the lock.) `upkeep`'s work, if it is still to do. The backup is read again
        rather than kept from the open (4 MB at 10,000 accounts, held through the first
        frame): the file, if it is still the version in memory, which was validated."""
        if not self._upkeep_due:
            return True
        raw, st, fd = read_bytes(self.path)
        os.close(fd)
        if signature_of(st) != self._storage.signature:
            return False
        self._remove_stale_temps()
        _back_up(self.path, raw, st.st_mode)
        self._upkeep_due = False
        return True

    def _remove_stale_temps(self) -> None:
        """Delete temp files left by a writer that was killed mid-write (called under the lock).

        Every temp file is written under the lock, so with the lock held none is in use. Best
        effort: a leftover is only wasted disk space.
        """
        pattern = _stale_temp_pattern(self.path)
        with suppress(OSError), os.scandir(self.path.parent) as entries:
            for entry in entries:
                if pattern.fullmatch(entry.name):
                    with suppress(OSError):
                        os.unlink(entry.path)

    # -- reading ------------------------------------------------------------------------------

    def table(self, name: str) -> Table:
        """The table ``name`` for reading (from memory; writes raise RuntimeError).

        Documents returned are shallow copies: do not modify nested lists or dicts in them.
        """
        self._check_open()
        table = self._read_tables.get(name)
        if table is None:
            from .tables import ReadTable  # (see `bc_tui.store.tables`)

            table = self._read_tables[name] = ReadTable(self._storage, name, cache_size=0)
        return table

    def tables(self) -> frozenset[str]:
        """Names of all tables in the document."""
        self._check_open()
        return frozenset(self._storage.read())

    def refresh(self) -> bool:
        """Reload if another process changed the file; True (and revision +1) if it did.

        One ``stat`` when nothing changed, so it is cheap to call on a timer. Returns False
        without looking while a transaction is open (in any thread): the transaction already
        re-read under the lock, and a reload would discard its changes.
        """
        self._check_open()
        if not self._thread_lock.acquire(blocking=False):
            return False
        try:
            if self._depth:
                return False
            return self._reload_if_changed()
        finally:
            self._thread_lock.release()

    def _reload_if_changed(self) -> bool:
        before = frozenset(self._storage.read())
        if not self._storage.refresh():
            return False
        self._pending_migration = None
        self.revision += 1
        self.last_changed = before | frozenset(self._storage.read())
        self._read_tables.clear()
        return True

    # -- writing ------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Lock, re-read if needed, yield a Transaction, then write once (or roll back).

        Reentrant: a nested ``with store.transaction()`` in the same thread joins the outer
        one and only the outermost commits. An exception that escapes any level rolls back
        the whole transaction (if caught inside the outer block, the outer block commits
        whatever was changed). Another thread waits up to ``lock_timeout``.
        """
        self._check_open()
        if self.readonly:
            raise DatabaseReadOnly(self.path, "opened")
        if not self._thread_lock.acquire(timeout=_thread_timeout(self.lock_timeout)):
            raise DatabaseBusy(self.path, self.lock_timeout)
        try:
            if self._depth:
                assert self._transaction is not None
                self._depth += 1
                try:
                    yield self._transaction
                finally:
                    self._depth -= 1
                return
            with self._holding_lock(self.lock_timeout):
                reloaded = self._reload_if_changed()
                self._do_upkeep()  # (before anything is written: the backup comes first)
                transaction = Transaction(self)
                self._transaction = transaction
                self._depth = 1
                self._storage.begin()
                try:
                    yield transaction
                except BaseException:
                    self._storage.rollback()
                    raise
                else:
                    if self._storage.commit(transaction._changes):
                        changed = frozenset(transaction._written)
                        if reloaded or not changed:
                            changed |= frozenset(self._storage.read())
                        self.revision += 1
                        self.last_changed = changed
                        self._read_tables.clear()
                finally:
                    transaction._active = False
                    self._transaction = None
                    self._depth = 0
        finally:
            self._thread_lock.release()

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Release the file descriptor kept open; the Store is unusable afterwards."""
        if self._depth:
            raise RuntimeError("close() inside a transaction")
        self._storage.close()
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")


def restore_backup(path: str | os.PathLike[str], *, lock_timeout: float = 10.0) -> Path | None:
    """Put the automatic backup ``<path>.bak`` back in place of the database at ``path``.

    The backup is checked first (a corrupt backup is refused, naming it; so is a side file
    that no longer holds the audit events the backup records). The current file, if
    any, is kept as ``<path>.before-restore`` (`displaced_path`: never over an earlier
    restore's), with the audit events it commits beside it (``.events``), so restoring never
    destroys anything: that copy opens as a database of its own. A database that is its
    backup already is refused (NothingToRestore), and nothing is written. The writes are
    atomic and made under the database's lock, so a running bc-tui sees the restored file
    on its next refresh. Returns where the replaced file is kept (None: there was none).
    """
    db = Path(path).expanduser()
    bak = backup_path(db)
    try:
        raw, bak_stat, fd = read_bytes(bak)
    except DatabaseNotFound:
        raise BackupMissing(db) from None
    os.close(fd)
    backup = parse_document(raw, bak)
    _schema_version(backup, bak)
    # The audit log's side file is append-only below what any main file committed, so the
    # backup's committed part is still there unless the side file was damaged.
    check_log(backup, db)
    displaced: Path | None = None
    with _holding(_file_lock(db), db, lock_timeout):
        try:
            current = os.stat(db)
        except FileNotFoundError:
            current = None
        except OSError as error:
            raise DatabaseUnusable(db, f"Cannot restore {db}: {error.strerror or error}.") from None
        if current is not None:
            if not stat.S_ISREG(current.st_mode):
                raise not_a_file_error(db, current)
            current_raw, _, fd = read_bytes(db)
            os.close(fd)
            if current_raw == raw:
                raise NothingToRestore(db)
            displaced = displaced_path(db)
            _keep_events(db, current_raw, displaced)
            atomic_write(displaced, current_raw, mode=current.st_mode)
        atomic_write(db, raw, mode=(current or bak_stat).st_mode)
    return displaced
