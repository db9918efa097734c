"""The append-only table (the audit log) kept outside the main file, as encoded lines.

At 100,000 audit events the log is most of the database: parsing it costs ~0.2 s and ~150 MB
of dicts at start-up, and rewriting it costs ~50 ms on every commit. So it lives in a side
file next to the database (``<db>.events``), one ``[doc_id, document]`` JSON array per line,
and in memory as those raw lines, decoded only when a document is read.

Crash consistency: the main file records how many bytes (and lines) of the side file are
committed. A commit appends its lines and fsyncs them *before* it replaces the main file, so
a crash in between leaves only an uncommitted tail, which every reader ignores and the next
commit truncates (under the lock). The committed prefix is never rewritten, which is what
makes a backup of the main file alone consistent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from .errors import EventsCorrupt, events_path

__all__ = ["EventLog", "LogRecord", "open_committed", "read_committed"]

#: What the main file records about the side file (its ``_log`` table): committed bytes and
#: lines, the largest document id in them, and an epoch that changes whenever the side file is
#: created or truncated (so a cached prefix is reused only if it cannot have been rewritten).
LogRecord = dict[str, Any]


def open_committed(db: Path, size: int) -> int:
    """A read-only descriptor of the side file of ``db``, which must hold ``size`` committed
    bytes: EventsCorrupt if it is missing (other OSErrors are the caller's to word)."""
    try:
        return os.open(events_path(db), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise EventsCorrupt(
            db, f"it is missing, but the database records {size} bytes of audit events in it"
        ) from None


def read_committed(db: Path, size: int, count: int) -> tuple[list[bytes], int]:
    """The first ``size`` bytes of the side file of ``db`` as ``count`` lines; (lines, inode).

    Raises EventsCorrupt if the file is missing, shorter than recorded, or the committed part
    does not end at a line end or has another number of lines than recorded.
    """
    fd = open_committed(db, size)
    try:
        inode = os.fstat(fd).st_ino
        chunks: list[bytes] = []
        done = 0
        while done < size:
            chunk = os.pread(fd, size - done, done)
            if not chunk:
                break
            chunks.append(chunk)
            done += len(chunk)
    finally:
        os.close(fd)
    return split_lines(b"".join(chunks), db, size, count), inode


def split_lines(raw: bytes, db: Path, size: int, count: int) -> list[bytes]:
    """``raw`` (a committed part of the side file) as its lines, checked against the record."""
    if len(raw) < size:
        raise EventsCorrupt(
            db, f"it has {len(raw)} bytes, but the database records {size} committed bytes"
        )
    if not raw:
        lines: list[bytes] = []
    elif not raw.endswith(b"\n"):
        raise EventsCorrupt(db, f"its committed part does not end a line at byte {size}")
    else:
        lines = raw[:-1].split(b"\n")
    if len(lines) != count:
        raise EventsCorrupt(
            db, f"it has {len(lines)} committed events, but the database records {count}"
        )
    return lines


def _line_id(line: bytes) -> str:
    """The document id of a line ``[id,{...}]`` without decoding the document."""
    return line[1 : line.index(b",")].decode("ascii")


def _string_field(name: str) -> bytes:
    """A pattern for `"name":"value"` in an encoded line, capturing a value without escapes
    (such a string cannot hide another key's `"name":"` inside it: its quotes are escaped)."""
    return b'"' + re.escape(name.encode()) + rb'":"([^"\\]*)"'


class _Lines:
    """Some lines of the log, joined once for all the columns read from them."""

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self._joined: bytes | None = None

    def joined(self) -> bytes:
        if self._joined is None:
            self._joined = b"\n".join(self.lines)
        return self._joined


def _searchable(text: str) -> bool:
    """Whether `text` appears in an encoded line as it is typed (ASCII, nothing escaped)."""
    return bool(text) and text.isascii() and text.isprintable() and not set(text) & {'"', "\\"}


def _strings(found: Sequence[bytes]) -> list[str]:
    """Captured values as strings, decoded at once (a value cannot hold a raw line end)."""
    return b"\n".join(found).decode().split("\n") if found else []


class EventLog(MutableMapping[str, dict[str, Any]]):
    """One append-only table as raw lines: committed (in the side file) and pending.

    Behaves as the ``{doc_id: document}`` dict TinyDB and the repository expect, but a
    document is decoded only when it is read, and the committed lines are read from the side
    file only when the table is first used (start-up never touches the audit log). Inserting
    appends a pending line; replacing or deleting a document raises TypeError: the log is
    append-only, and its committed prefix must never change.
    """

    def __init__(self, db: Path, record: LogRecord) -> None:
        self.db = db
        self.path = events_path(db)
        self.size: int = record["bytes"]
        self.count: int = record["count"]
        self.last_id: int = record["last_id"]
        self.epoch: str = record["epoch"]
        self._lines: list[bytes] | None = None
        self._inode: int | None = None
        self.pending: list[bytes] = []
        self._index: dict[str, int] | None = None

    def record(self) -> LogRecord:
        """The ``_log`` record once the pending lines are committed."""
        return {
            "bytes": self.size + sum(len(line) + 1 for line in self.pending),
            "count": self.count + len(self.pending),
            "last_id": self.last_id,
            "epoch": self.epoch,
        }

    def adopt(self, previous: EventLog, inode: int) -> None:
        """Reuse the committed lines ``previous`` read, if the side file cannot have changed
        under them (same file, same epoch, not longer): then only the new tail is read."""
        if (
            previous._lines is None
            or previous._inode != inode
            or previous.epoch != self.epoch
            or previous.size > self.size
        ):
            return
        lines = list(previous._lines)  # our own: committed() extends it in place
        if previous.size < self.size:
            with open(self.path, "rb") as file:
                file.seek(previous.size)
                tail = file.read(self.size - previous.size)
            lines += split_lines(
                tail, self.db, self.size - previous.size, self.count - previous.count
            )
        self._lines, self._inode = lines, inode

    def committed(self) -> None:
        """The pending lines are now in the side file and recorded by the main file."""
        record = self.record()
        if self._lines is not None:
            self._lines.extend(self.pending)
            if self._inode is None:  # the side file was just created: adopt() may reuse it
                self._inode = os.stat(self.path).st_ino
        self.size, self.count = record["bytes"], record["count"]
        self.pending = []

    def lines(self) -> list[bytes]:
        """Every line, committed then pending (reads the side file on first use)."""
        if self._lines is None:
            if self.size:
                self._lines, self._inode = read_committed(self.db, self.size, self.count)
            else:  # nothing committed: there may be no side file at all
                self._lines = []
        return self._lines + self.pending if self.pending else self._lines

    def columns(self, *names: str, start: int = 0) -> list[list[Any]]:
        """Some fields' stored values in the lines from position `start` on (None where a
        document lacks one), in file order, without decoding the documents: one list per
        name.

        For the Activity view at 100,000 events, which needs every event's Business Center
        and time to order a page: decoding every line took ~0.15 s, this ~0.1 s. A reader
        that kept what it read of an earlier version asks only for the lines after it (see
        `mark`)."""
        lines = _Lines(self.lines()[start:])
        return [self._read_column(name, lines) for name in names]

    def search(self, text: str, positions: Iterable[int]) -> list[int] | None:
        """Of `positions`, the lines that may hold `text` in a string, ignoring the case of
        ASCII letters; None if `text` cannot be searched for in the encoded lines.

        A prefilter: a match may be in a key or another field, so the caller decodes the
        lines found to be sure. It finds every line whose document holds the text: a line
        with any non-ASCII byte is always kept (case folding can turn such characters into
        ASCII ones), and a text with characters that a line stores escaped (quotes,
        backslashes, control characters) or with non-ASCII characters is refused. ~55 ms at
        100,000 events."""
        if not _searchable(text):
            return None
        key, lines = text.lower().encode(), self.lines()
        return [
            index
            for index in positions
            if key in (line := lines[index]).lower() or not line.isascii()
        ]

    def mark(self) -> tuple[str, int]:
        """(epoch, lines): while the epoch is the same, the first `lines` lines are too."""
        return self.epoch, len(self)

    def _read_column(self, name: str, lines: _Lines) -> list[Any]:
        """`name`'s value in each of `lines`: a string without escapes as it is found in the
        encoded line (`_string_field`), anything else by decoding that line."""
        pattern = re.compile(_string_field(name))
        found = pattern.findall(lines.joined())
        if len(found) == len(lines.lines):  # one per line (a key appears once): aligned
            return _strings(found)
        values = []
        for line in lines.lines:
            match = pattern.search(line)
            values.append(match[1].decode() if match else self._decode(line).get(name))
        return values

    def _decode(self, line: bytes) -> dict[str, Any]:
        try:
            doc = orjson.loads(line)[1]
        except (orjson.JSONDecodeError, IndexError, TypeError) as error:
            raise EventsCorrupt(self.db, f"an event is not valid JSON ({error})") from None
        if type(doc) is not dict:
            raise EventsCorrupt(self.db, "an event is not a JSON object")
        return doc

    def _ids(self) -> dict[str, int]:
        if self._index is None or len(self._index) != len(self):
            self._index = {_line_id(line): n for n, line in enumerate(self.lines())}
        return self._index

    # -- Mapping --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.count + len(self.pending)

    def __iter__(self) -> Iterator[str]:
        return (_line_id(line) for line in self.lines())

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key.isdecimal() and int(key) > self.last_id:
            return False
        return key in self._ids()

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self._decode(self.lines()[self._ids()[key]])

    def documents(self) -> Sequence[dict[str, Any]]:
        """The documents in file order as a sequence that decodes an item only when it is
        indexed: a reader can order the log once and then decode just the page it shows."""
        return _Decoded(self)

    def values(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        """The documents in file order, decoded one at a time (no index built)."""
        return (self._decode(line) for line in self.lines())

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        """(id, document) pairs in file order, decoded one at a time (no index built)."""
        return ((_line_id(line), self._decode(line)) for line in self.lines())

    def __setitem__(self, key: str, doc: Mapping[str, Any]) -> None:
        if key in self:
            raise TypeError(f"the audit log is append-only: document {key} cannot be replaced")
        self.pending.append(orjson.dumps([int(key), doc]))
        self.last_id = max(self.last_id, int(key))

    def __delitem__(self, key: str) -> None:
        raise TypeError(f"the audit log is append-only: document {key} cannot be removed")

    def clear(self) -> None:
        raise TypeError("the audit log is append-only: it cannot be cleared")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class _Decoded(Sequence[dict[str, Any]]):
    """An EventLog's documents by position, decoded on access (see ``EventLog.documents``)."""

    def __init__(self, log: EventLog) -> None:
        self._log = log
        self._lines = log.lines()

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> dict[str, Any]:  # type: ignore[override]
        return self._log._decode(self._lines[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self._log._decode, self._lines)
