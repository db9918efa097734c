"""A TinyDB storage that keeps the document in memory and replaces the file atomically.

Stock ``JSONStorage`` re-reads and re-parses the whole file on every read and rewrites it in
place on every write: slow at 10,000 accounts, and a crash mid-write leaves a torn file. This
storage instead

* parses the file once and serves every ``read()`` from memory; ``refresh()`` re-reads only
  when the file's stat signature (device, inode, size, mtime) says another process replaced it;
* writes by temp file + fsync + ``os.replace`` + directory fsync, so the file on disk is always
  either the old or the new version, never a mix;
* accepts ``write()`` only inside a transaction (``begin`` / ``commit`` / ``rollback``), so a
  service call's many TinyDB operations become one file write.

Locking across processes is the caller's job (see ``database.Store``); this module never takes
a lock and knows nothing of schema versions.
"""

from __future__ import annotations

import gc
import json
import os
import shlex
import stat
import tempfile
from collections.abc import Callable, Iterator, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson

from .errors import (
    NEW_DB_HINT,
    DatabaseCorrupt,
    DatabaseNotFound,
    DatabaseUnusable,
    DatabaseWriteFailed,
    EventsCorrupt,
    StoreError,
    events_path,
)
from .eventlog import EventLog, LogRecord, open_committed

__all__ = [
    "CachedAtomicStorage",
    "Changes",
    "Signature",
    "atomic_write",
    "check_log",
    "check_shape",
    "parse_document",
    "read_bytes",
    "serialize_document",
    "signature_of",
]

#: The parsed file: table name -> document id (a decimal string) -> document.
Document = dict[str, dict[str, dict[str, Any]]]

#: What a transaction did to each table it wrote: the ids of the documents it appended, if
#: that is all it did, else None (the table must be encoded again as a whole).
Changes = dict[str, list[str] | None]

#: What identifies one version of the file without reading it: (st_dev, st_ino, st_size,
#: st_mtime_ns). An atomic replace always gives a new inode, and we keep the version we loaded
#: open (see ``CachedAtomicStorage``) so its inode number cannot be reused by a later version.
Signature = tuple[int, int, int, int]

_POSIX = os.name == "posix"

#: The main file's table that records the committed part of the side file (see eventlog).
LOG_RECORD_TABLE = "_log"
_EMPTY_RECORD: LogRecord = {"bytes": 0, "count": 0, "last_id": 0, "epoch": ""}
_TEMP_SUFFIX = ".tmp"

#: One worker thread that closes the pins of replaced versions (see ``_release``).
_releaser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bc-tui-release")


def signature_of(st: os.stat_result) -> Signature:
    """The part of a stat result that changes whenever the file is replaced or rewritten."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _json_kind(value: object) -> str:
    """Name a parsed JSON value the way a person who opened the file would see it."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def check_shape(data: object, path: Path) -> Document:
    """Check that ``data`` has TinyDB's shape, else raise ``DatabaseCorrupt``.

    The shape is ``{table: {doc_id: {field: value}}}`` with decimal doc ids. TinyDB would crash
    with an obscure TypeError/ValueError on anything else, possibly half-way through a write,
    so we refuse such a file at load time with a message naming the offending part.
    """
    if not isinstance(data, dict):
        raise DatabaseCorrupt(path, f"the top level is {_json_kind(data)}, not an object")
    for table_name, table in data.items():
        if not isinstance(table, dict):
            raise DatabaseCorrupt(
                path, f"table {table_name!r} is {_json_kind(table)}, not an object"
            )
        if _well_formed(table):
            continue  # checked at C speed (10,000 documents: ~1 ms); else find what is wrong
        for doc_id, doc in table.items():
            if type(doc) is not dict:
                raise DatabaseCorrupt(
                    path,
                    f"document {doc_id!r} of table {table_name!r} is {_json_kind(doc)}, "
                    f"not an object",
                )
            if not (doc_id.isdecimal() and doc_id.isascii()):
                raise DatabaseCorrupt(
                    path, f"document id {doc_id!r} of table {table_name!r} is not a number"
                )
    return data


def _well_formed(table: dict[str, Any]) -> bool:
    """Every document of `table` an object under a non-empty id of ASCII digits."""
    ids = "".join(table)
    return (
        "" not in table
        and (not ids or (ids.isdecimal() and ids.isascii()))
        and all(type(doc) is dict for doc in table.values())
    )


def parse_document(raw: bytes, path: Path) -> Document:
    """Decode, parse and shape-check the bytes of a database file.

    The stdlib's parser, not orjson: at 4 MB (10,000 accounts) it is as fast (25 ms against
    29 ms, with the collector paused) and builds the objects as it goes, while orjson first
    builds a document of its own: a transient 65 MB for a 4 MB file, which was most of
    bc-tui's peak memory at start-up. The cyclic garbage collector is paused while parsing:
    it allocates hundreds of thousands of containers, which triggers many pointless GC
    passes. Afterwards everything alive is frozen (`gc.freeze`): the document is plain JSON,
    so it holds no reference cycles and is freed by reference counting when replaced, but
    while it is current every full collection would walk its containers (100-150 ms pauses
    while typing). NaN and Infinity are not JSON and are refused, as orjson refused them.
    """
    if not raw.strip():
        raise DatabaseCorrupt(path, "the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatabaseCorrupt(path, f"not UTF-8 text at byte {error.start}") from None
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = json.loads(text, parse_constant=_not_json)
        gc.freeze()
    except json.JSONDecodeError as error:
        raise DatabaseCorrupt(
            path, f"invalid JSON at line {error.lineno}, column {error.colno}"
        ) from None
    except (ValueError, RecursionError) as error:
        # e.g. an integer longer than Python's int-to-str digit limit, or absurd nesting.
        raise DatabaseCorrupt(path, f"unreadable JSON: {error}") from None
    finally:
        if gc_was_enabled:
            gc.enable()
    return check_shape(data, path)


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not a JSON value")


def serialize_document(data: object) -> bytes:
    """Dump (a document, a table, a document id) compactly as UTF-8 JSON: this is the cost of
    every commit, so keep it lean (a commit encodes only what it changed, see ``_encode``).

    orjson, because this runs on every commit: 32 ms against the stdlib's 384 ms at 20 MB
    (45,000 accounts), which is what keeps a change at 10,000 accounts near one frame. A
    non-serialisable value, a non-string key, a lone surrogate or a reference cycle raises
    TypeError here, before anything touches the disk. orjson writes a float NaN as null; the
    model never stores floats (money is integer minor units), so that cannot lose data.
    """
    return orjson.dumps(data)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: fsync the folder that holds the renamed entry.

    Best effort: by now ``os.replace`` has happened, so the new file *is* the database, and
    reporting a failure here (some filesystems refuse to fsync a folder) would be a lie.
    """
    if not _POSIX:
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temp_prefix(target: Path) -> str:
    """Prefix of the temp files written next to ``target`` (so leftovers can be recognised)."""
    return f".{target.name}."


def atomic_write(
    target: Path,
    payload: bytes,
    *,
    mode: int | None = None,
    keep_open: bool = False,
) -> tuple[os.stat_result, int | None]:
    """Replace ``target`` with ``payload`` so that readers see the old or the new bytes only.

    Temp file in the same folder (so ``os.replace`` is a rename, not a copy), write, flush,
    fsync, replace, fsync the folder. ``mode`` sets the new file's permission bits (mkstemp
    creates 0600; callers pass the old file's mode to keep it). On any OSError the temp file is
    removed and ``DatabaseWriteFailed`` is raised: ``target`` was not touched.

    Returns the new file's stat (taken from the open descriptor, so it describes exactly the
    file we wrote even if someone replaces it right after) and, if ``keep_open``, the still
    open descriptor, which the caller must close.
    """
    try:
        fd, temp_name = tempfile.mkstemp(
            dir=target.parent, prefix=temp_prefix(target), suffix=_TEMP_SUFFIX
        )
    except OSError as error:
        raise DatabaseWriteFailed(target, error) from error
    fd_open = True
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, stat.S_IMODE(mode))
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        new_stat = os.fstat(fd)
        if not keep_open:
            fd_open = False
            os.close(fd)
        os.replace(temp_name, target)
    except BaseException as error:
        if fd_open:
            with suppress(OSError):
                os.close(fd)
        with suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise DatabaseWriteFailed(target, error) from error
        raise
    _fsync_dir(target.parent)
    return new_stat, (fd if keep_open else None)


def _stat_error(path: Path, error: OSError) -> StoreError:
    """Turn an OSError from stat/open/read of the database into a StoreError with a way out."""
    if isinstance(error, FileNotFoundError):
        return DatabaseNotFound(path)
    if isinstance(error, PermissionError):
        return DatabaseUnusable(
            path,
            f"{path} cannot be read: permission denied. Fix its permissions "
            f"(chmod u+rw {_quote(path)}), or {NEW_DB_HINT}.",
        )
    if isinstance(error, NotADirectoryError):
        return DatabaseUnusable(
            path,
            f"{path} cannot be opened: part of its folder path is a file. Choose another --db.",
        )
    return DatabaseUnusable(
        path,
        f"{path} cannot be read: {error.strerror or error}. Check the disk and the path, "
        f"or {NEW_DB_HINT}.",
    )


def _quote(path: Path) -> str:
    """Quote a path for a command the user may paste into a shell."""
    return shlex.quote(str(path))


def not_a_file_error(path: Path, st: os.stat_result) -> DatabaseUnusable:
    """The error for a path that exists but is not a regular file (a folder, a device...)."""
    if stat.S_ISDIR(st.st_mode):
        return DatabaseUnusable(
            path,
            f"{path} is a folder, not a bc-tui database file. Point --db at a file, "
            f"e.g. --db {_quote(path / 'bc.json')}.",
        )
    return DatabaseUnusable(
        path, f"{path} is not a regular file, so it cannot hold a bc-tui database. {NEW_DB_HINT}."
    )


def read_bytes(path: Path) -> tuple[bytes, os.stat_result, int]:
    """Open and read the whole file; return (bytes, fstat, open descriptor).

    Stat and read go through one descriptor so the signature describes the bytes we read even
    if the file is replaced meanwhile. A stat of the path first rejects folders and FIFOs (opening
    a FIFO would block forever). The caller owns the returned descriptor.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise not_a_file_error(path, st)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise _stat_error(path, error) from error
    try:
        st = os.fstat(fd)
        chunks: list[bytes] = []
        while chunk := os.read(fd, max(st.st_size, 1 << 16)):
            chunks.append(chunk)
    except OSError as error:
        os.close(fd)
        raise _stat_error(path, error) from error
    except BaseException:
        os.close(fd)
        raise
    return b"".join(chunks), st, fd


class IntKeyedTable(MutableMapping[int, dict[str, Any]]):
    """A view of a raw ``{"1": doc}`` table that TinyDB's updaters can use as ``{1: doc}``.

    Stock ``Table._update_table`` copies the whole table twice per operation to convert keys
    (measured 5.5 ms per update at 10,000 documents); this view converts only the keys
    touched, so an operation costs what it changes.
    """

    __slots__ = ("raw",)

    def __init__(self, raw: dict[str, dict[str, Any]]) -> None:
        self.raw = raw

    def __getitem__(self, key: int) -> dict[str, Any]:
        return self.raw[str(key)]

    def __setitem__(self, key: int, value: dict[str, Any]) -> None:
        self.raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self.raw[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self.raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def clear(self) -> None:
        self.raw.clear()


class CachedAtomicStorage:
    """TinyDB storage: parsed document in memory, atomic whole-file writes, explicit reloads.

    It has TinyDB's Storage interface (read, write, close), which is all a TinyDB table asks
    of one, without subclassing it: tinydb's modules are ~3 ms of imports that the app's first
    frame, which reads the document without a table, does not need (see `store.tables`).

    ``prepare`` is called on every freshly parsed document before it is accepted (the Store
    uses it to check the schema version and run migrations in memory); it may raise a
    StoreError to refuse the file, in which case the previous in-memory state is kept.

    On POSIX the descriptor of the version we loaded (or wrote) stays open. That pins its
    inode, so no later version of the file can be given the same inode number, which makes the
    (inode, size, mtime) signature a reliable "has it changed" test even when two writes land
    in the same mtime tick with the same size.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        prepare: Callable[[Document], None] | None = None,
        log_table: str | None = None,
    ) -> None:
        self.path = Path(path)
        self._prepare = prepare
        #: The append-only table kept in the side file ``log_path`` instead of the main file.
        self.log_table = log_table
        self.log_path = events_path(self.path)
        self._data: Document | None = None
        self._signature: Signature | None = None
        self._pin: int | None = None
        self._in_transaction = False
        self._dirty = False
        #: Counters for tests and benchmarks: files parsed, files written.
        self.loads = 0
        self.writes = 0
        #: table name -> (the table dict, its members' JSON in runs) as last written: a commit
        #: re-encodes only the tables it changed, and a table it only appended to by the new
        #: documents (see _encode).
        self._encoded: dict[str, tuple[dict[str, dict[str, Any]], list[bytes]]] = {}
        #: table name -> (the table dict, its size, its largest document id); first_free_id.
        self._largest_ids: dict[str, tuple[dict[str, dict[str, Any]], int, int]] = {}

    # -- TinyDB Storage interface -------------------------------------------------------------

    def read(self) -> Document:
        """Return the in-memory document (loading the file the first time only)."""
        if self._data is None:
            self.load()
            assert self._data is not None
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Keep ``data`` in memory and mark it for the commit; legal only in a transaction.

        Outside a transaction this is a programming error (every change must go through a
        transaction so it is locked, re-read and written once). TinyDB has already mutated the
        in-memory document by the time it calls ``write``, so we forget it before raising:
        so we re-read the file before raising.
        """
        if not self._in_transaction:
            self._discard_quietly()
            raise RuntimeError(
                "CachedAtomicStorage.write() outside a transaction: change the database "
                "inside `with store.transaction() as tx:` using tx.table(...)"
            )
        self._data = data
        self._dirty = True

    def close(self) -> None:
        """Release the pinned descriptor. The in-memory document stays readable."""
        if self._pin is not None:
            with suppress(OSError):
                os.close(self._pin)
            self._pin = None

    # -- loading ------------------------------------------------------------------------------

    @property
    def signature(self) -> Signature | None:
        """Stat signature of the file version in memory (None: unknown, reload on refresh)."""
        return self._signature

    @property
    def dirty(self) -> bool:
        """True when the open transaction has written something not yet on disk."""
        return self._dirty

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction

    def load(self) -> bytes:
        """Read, parse, check and ``prepare`` the file now; return the raw bytes read.

        The raw bytes are returned (not kept) so the Store can copy exactly what it validated
        into the backup without a second read. On error nothing in memory changes.
        """
        raw, st, fd = read_bytes(self.path)
        try:
            data = parse_document(raw, self.path)
            if self._prepare is not None:
                self._prepare(data)
            self._attach_log(data)
        except BaseException:
            os.close(fd)
            raise
        self._accept(data, st, fd)
        self.loads += 1
        return raw

    def _attach_log(self, data: Document) -> None:
        """Put the log table into ``data`` as an ``EventLog`` over the side file's committed part.

        The main file's ``_log`` record says how much of the side file is committed; anything
        beyond is a crash's uncommitted tail and is ignored. A side file shorter than recorded
        (or whose committed part does not end a line) is refused as corrupt, and nothing is
        written. A log table found inside the main document (a file from before the side file)
        becomes pending lines: the next commit moves it to the side file.
        """
        record, inode = check_log(data, self.path)
        data.pop(LOG_RECORD_TABLE, None)
        if self.log_table is None:
            return
        legacy = data.pop(self.log_table, None)
        if record["bytes"] == 0 and not legacy:
            return
        log = EventLog(self.path, record)
        if inode is not None:
            previous = (self._data or {}).get(self.log_table)
            if isinstance(previous, EventLog):
                log.adopt(previous, inode)
        for doc_id, doc in (legacy or {}).items():
            log[doc_id] = doc
        data[self.log_table] = log  # type: ignore[assignment]

    def new_table(self, name: str) -> dict[str, dict[str, Any]]:
        """An empty table for ``name`` (the log table is an ``EventLog``, never a dict)."""
        if name == self.log_table:
            return EventLog(self.path, dict(_EMPTY_RECORD))  # type: ignore[return-value]
        return {}

    def _log(self) -> EventLog | None:
        table = self.read().get(self.log_table) if self.log_table else None
        return table if isinstance(table, EventLog) else None

    def _append_log(self) -> LogRecord | None:
        """Append the pending log lines to the side file and fsync it; the record to commit.

        Runs before the main file is replaced: until then the new lines are an uncommitted
        tail that every reader ignores. An uncommitted tail left by a crash is cut off first
        (the caller holds the lock, and no reader reads past the committed length), and the
        epoch renewed so that other processes do not reuse a cached prefix across the cut.
        """
        if self.log_table is None:
            return None
        log = self._log()
        committed = log.size if log is not None else 0
        if log is None or not log.pending:
            try:
                size = os.stat(self.log_path).st_size
            except OSError:
                return log.record() if log is not None else None
            if size <= committed:
                return log.record() if log is not None else None
        try:
            mode: int | None = os.stat(self.path).st_mode
        except OSError:
            mode = None
        try:
            fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0))
        except OSError as error:
            raise DatabaseWriteFailed(self.log_path, error) from error
        try:
            st = os.fstat(fd)
            if st.st_size < committed:
                raise EventsCorrupt(
                    self.path,
                    f"it has {st.st_size} bytes, but the database records {committed} "
                    f"committed bytes",
                )
            renew = st.st_size > committed or committed == 0
            if st.st_size > committed:
                os.ftruncate(fd, committed)
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, stat.S_IMODE(mode))
            if log is not None and log.pending:
                view = memoryview(b"\n".join(log.pending) + b"\n")
                offset = committed
                while view:
                    written = os.pwrite(fd, view, offset)
                    view, offset = view[written:], offset + written
            os.fsync(fd)
        except OSError as error:
            raise DatabaseWriteFailed(self.log_path, error) from error
        finally:
            os.close(fd)
        if committed == 0:
            _fsync_dir(self.log_path.parent)  # the new file's name must survive a crash too
        if log is None:
            return None
        if renew:
            import secrets  # (here: it loads OpenSSL, ~2 ms of start-up that is not needed)

            log.epoch = secrets.token_hex(4)
        return log.record()

    def _accept(self, data: Document, st: os.stat_result, fd: int | None) -> None:
        """Make ``data`` (the content of the file described by ``st``) the current state."""
        if self._pin is not None:
            _release(self._pin)
            self._pin = None
        if fd is not None:
            if _POSIX:
                self._pin = fd
            else:
                os.close(fd)
        self._data = data
        self._signature = signature_of(st)

    def refresh(self) -> bool:
        """Reload if the file on disk is not the version in memory; True if it reloaded.

        Costs one ``stat`` when nothing changed. Raises DatabaseNotFound if the file was
        deleted, DatabaseCorrupt/DatabaseTooNew if the new version is unusable (the old
        in-memory state is kept in that case).
        """
        if self._dirty:
            raise RuntimeError("refresh() would discard the open transaction's changes")
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseNotFound(
                self.path,
                f"{self.path} was deleted or moved while bc-tui was using it, so nothing more "
                f"can be saved. Put it back, or restore the automatic backup with "
                f"`bc-tui db restore --db {_quote(self.path)}`, and start bc-tui again.",
            ) from None
        except OSError as error:
            raise _stat_error(self.path, error) from error
        if self._data is not None and signature_of(st) == self._signature:
            return False
        self.load()
        return True

    # -- transactions -------------------------------------------------------------------------

    def begin(self) -> None:
        """Start accepting ``write()``; the caller holds the cross-process lock."""
        if self._in_transaction:
            raise RuntimeError("a transaction is already open on this storage")
        self._in_transaction = True
        self._dirty = False

    def commit(self, changes: Changes | None = None) -> bool:
        """Write the document once if anything was written; True if the file was written.

        ``changes`` says what the transaction did to which table (see ``Changes``) so that
        only those are encoded again; None (not known) encodes every table. If the write fails
        the in-memory changes are discarded (the file is re-read) and the error
        (DatabaseWriteFailed, or TypeError/ValueError for unserialisable data) raised.
        """
        if not self._in_transaction:
            raise RuntimeError("commit() without begin()")
        try:
            if not self._dirty:
                return False
            self._save(changes)
            return True
        except BaseException:
            self._discard_quietly()
            raise
        finally:
            self._in_transaction = False
            self._dirty = False

    def rollback(self) -> None:
        """End the transaction, discarding its changes (re-reading the file if it wrote)."""
        try:
            if self._dirty:
                self._discard_quietly()
        finally:
            self._in_transaction = False
            self._dirty = False

    def _discard_quietly(self) -> None:
        """Re-read the file to drop uncommitted changes; if that fails, forget the signature.

        Called while another exception is on its way out, which must not be masked. With the
        signature forgotten, the next ``refresh()`` reloads (or reports why it cannot).
        """
        self._dirty = False
        self._encoded.clear()
        try:
            self.load()
        except (StoreError, OSError):
            self._signature = None

    def first_free_id(self, name: str) -> int:
        """One more than the largest document id in table ``name``.

        TinyDB finds it by converting every id of the table, once per Table object, and a
        transaction's tables are new each time: 10 ms a commit at 100,000 audit events. It is
        remembered here per table version instead (kept by ``note_inserted``), and found
        again if the table is another dict or changed size some other way (a removal).
        """
        table = self.read().get(name) or {}
        if isinstance(table, EventLog):
            return table.last_id + 1  # recorded: no need to read the side file
        known = self._largest_ids.get(name)
        if known is not None and known[0] is table and known[1] == len(table):
            return known[2] + 1
        largest = max(map(int, table), default=0)
        self._largest_ids[name] = (table, len(table), largest)
        return largest + 1

    def note_inserted(self, name: str, doc_ids: list[int]) -> None:
        """Keep ``first_free_id`` current after documents were added to table ``name``."""
        table = self.read().get(name) or {}
        known = self._largest_ids.get(name)
        if known is not None and known[0] is table and known[1] == len(table) - len(doc_ids):
            self._largest_ids[name] = (table, len(table), max(known[2], *doc_ids))
        else:
            self._largest_ids.pop(name, None)

    def _encode(
        self, changes: Changes | None, record: LogRecord | None = None
    ) -> tuple[list[bytes], dict[str, Any]]:
        """The document as JSON, in pieces, re-encoding only what ``changes`` names.

        Each table is kept as the encodings of its ``"id": {...}`` members, in runs: a table
        a transaction only appended to gains one run, so adding one audit event to 100,000
        costs that event, not 20 MB of encoding. The pieces are joined once, into the file.
        """
        pieces: list[bytes] = []
        encoded = {}
        tables = dict(self.read())
        tables.pop(self.log_table or "", None)  # the log table lives in the side file
        if record is not None and record["bytes"]:
            tables[LOG_RECORD_TABLE] = {"1": record}
        for name, table in tables.items():
            known = self._encoded.get(name)
            appended = None if changes is None else changes.get(name, [])
            if changes is None or known is None or known[0] is not table or appended is None:
                runs = [serialize_document(table)[1:-1]]  # anew: faster in one call
            elif appended:
                runs = [*known[1], _members(table, appended)]
                if len(runs) > 256:
                    runs = [b",".join(runs)]
            else:
                runs = known[1]
            runs = [run for run in runs if run]
            encoded[name] = (table, runs)
            pieces += [b"," if pieces else b"{", serialize_document(name), b":{"]
            for number, run in enumerate(runs):
                pieces += [b",", run] if number else [run]
            pieces.append(b"}")
        pieces.append(b"}" if pieces else b"{}")
        return pieces, encoded

    def _save(self, changes: Changes | None) -> None:
        """Serialise and atomically replace the file, keeping the old file's permissions."""
        record = self._append_log()
        pieces, encoded = self._encode(changes, record)
        payload = b"".join(pieces)
        try:
            mode: int | None = os.stat(self.path).st_mode
        except OSError:
            mode = None
        st, fd = atomic_write(self.path, payload, mode=mode, keep_open=True)
        # Record our own write so refresh() does not mistake it for another process's.
        self._accept(self.read(), st, fd)
        log = self._log()
        if log is not None:
            log.committed()
        self._encoded = encoded
        self.writes += 1


def _release(fd: int) -> None:
    """Close ``fd``, the pin of a version that was just replaced, on the worker thread.

    The pin is the last reference to that version's inode, so closing it frees the file's
    blocks: ~2 ms of a commit's ~10 on a disk mounted with ``discard``, and nothing waits on
    it (nobody reads through that descriptor again, and its number stays taken until it is
    closed, so it cannot be closed twice).

    ``submit`` refuses work once the interpreter is shutting down (the process is ending:
    its descriptors go with it) and raises if it cannot start the thread (the work is queued
    by then, for the next start to do). Either way the commit is done and must not fail, and
    closing here could close the same number twice.
    """
    with suppress(RuntimeError):
        _releaser.submit(_close_quietly, fd)


def _close_quietly(fd: int) -> None:
    with suppress(OSError):
        os.close(fd)


def check_log(data: Document, db: Path) -> tuple[LogRecord, int | None]:
    """The ``_log`` record of the parsed main file of ``db`` and the inode of its side file.

    Refuses (DatabaseCorrupt / EventsCorrupt) a malformed record and a side file that cannot
    hold the committed part the record names; the inode is None when nothing is committed.
    """
    record = _log_record(data.get(LOG_RECORD_TABLE), db)
    if not record["bytes"]:
        return record, None
    return record, _check_side_file(db, record["bytes"])


def _log_record(table: object, path: Path) -> LogRecord:
    """The ``_log`` record of a main file (all zero if it has none), checked."""
    if table is None:
        return dict(_EMPTY_RECORD)
    record = table.get("1") if isinstance(table, dict) else None
    if (
        not isinstance(record, dict)
        or any(
            type(record.get(key)) is not int or record[key] < 0
            for key in _EMPTY_RECORD
            if key != "epoch"
        )
        or not isinstance(record.get("epoch"), str)
    ):
        raise DatabaseCorrupt(path, f"its {LOG_RECORD_TABLE} table is malformed")
    return {key: record[key] for key in _EMPTY_RECORD}


def _check_side_file(db: Path, size: int) -> int:
    """Refuse a side file of ``db`` that cannot hold the committed ``size`` bytes; return its
    inode.

    Cheap (a stat and a one-byte read), so it runs on every open; the lines themselves are
    read and checked when the log is first used.
    """
    try:
        fd = open_committed(db, size)
    except OSError as error:
        raise _stat_error(events_path(db), error) from error
    try:
        st = os.fstat(fd)
        if st.st_size < size:
            raise EventsCorrupt(
                db, f"it has {st.st_size} bytes, but the database records {size} committed bytes"
            )
        if os.pread(fd, 1, size - 1) != b"\n":
            raise EventsCorrupt(db, f"its committed part does not end a line at byte {size}")
    finally:
        os.close(fd)
    return st.st_ino


def _members(table: dict[str, dict[str, Any]], ids: list[str]) -> bytes:
    """``"id":{...},...`` for these documents of ``table``: the inside of its JSON object."""
    return b",".join(
        serialize_document(doc_id) + b":" + serialize_document(table[doc_id]) for doc_id in ids
    )
