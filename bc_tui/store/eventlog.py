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
from array import array
from bisect import bisect_right
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


def read_committed(db: Path, size: int, count: int) -> tuple[Lines, int]:
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


def split_lines(raw: bytes, db: Path, size: int, count: int) -> Lines:
    """``raw`` (a committed part of the side file) as its lines, checked against the record."""
    if len(raw) < size:
        raise EventsCorrupt(
            db, f"it has {len(raw)} bytes, but the database records {size} committed bytes"
        )
    if raw and not raw.endswith(b"\n"):
        raise EventsCorrupt(db, f"its committed part does not end a line at byte {size}")
    found = raw.count(b"\n")
    if found != count:
        raise EventsCorrupt(
            db, f"it has {found} committed events, but the database records {count}"
        )
    return Lines(raw, count)


def _starts(text: bytes) -> array[int]:
    """Where each line of `text` (lines that each end with a line end) starts, then its end."""
    starts = array("q", [0])
    starts.extend(match.end() for match in re.finditer(b"\n", text))
    return starts


def _lines_holding(text: bytes, needle: bytes, starts: array[int]) -> Iterator[int]:
    """The lines of `text` (which start at `starts`) that hold `needle`, each once, in order;
    `needle` must not hold a line end."""
    position = text.find(needle)
    while position != -1:
        line = bisect_right(starts, position) - 1
        yield line
        position = text.find(needle, starts[line + 1])


def _non_ascii(text: bytes, starts: array[int]) -> Iterator[int]:
    """The lines of `text` (which start at `starts`) with a byte outside ASCII."""
    return _lines_holding(text.translate(_HIGH), b"\x80", starts)


#: A translation that turns every non-ASCII byte into 0x80 and every other into 0x00.
_HIGH = bytes(0x80 if byte > 0x7F else 0 for byte in range(256))


def _line_id(line: bytes) -> str:
    """The document id of a line ``[id,{...}]`` without decoding the document."""
    return line[1 : line.index(b",")].decode("ascii")


def _string_field(name: str) -> bytes:
    """A pattern for `"name":"value"` in an encoded line, capturing a value without escapes
    (such a string cannot hide another key's `"name":"` inside it: its quotes are escaped)."""
    return b'"' + re.escape(name.encode()) + rb'":"([^"\\]*)"'


class Lines(Sequence[bytes]):
    """Lines of the log: a block of them as one bytes object, as read from the side file
    (each ending with a line end), then the lines added after it, one object each.

    At 100,000 events the block is 21 MB. As 100,000 separate bytes objects the same lines
    took 25 MB, plus ~30 MB the allocator kept from the strings read off them, and the
    columns needed all of them joined again. A field is found across the block by one regex
    scan; a line is sliced out of it when asked for, by where it starts (worked out on the
    first such request: ~25 ms at 100,000 lines)."""

    def __init__(self, block: bytes = b"", in_block: int = 0) -> None:
        self.block = block
        self.in_block = in_block  # lines in the block
        self.tail: list[bytes] = []
        self._starts: array[int] | None = None
        self._high_lines: list[int] | None = None

    def copy(self) -> Lines:
        """The same lines; what is added to the copy is not added here."""
        other = Lines(self.block, self.in_block)
        other._starts, other._high_lines = self._starts, self._high_lines
        other.tail = list(self.tail)
        return other

    def extend(self, lines: Iterable[bytes]) -> None:
        self.tail.extend(lines)

    def starts(self) -> array[int]:
        """Where each line of the block starts, and then the block's end."""
        if self._starts is None:
            self._starts = _starts(self.block)
        return self._starts

    def findall(self, pattern: re.Pattern[bytes], start: int = 0) -> list[Any]:
        """`pattern`'s matches in the lines from position `start` on, in order: one scan of
        the block, one of the tail (`pattern` must not match across a line end)."""
        found: list[Any] = []
        if start < self.in_block:
            found = pattern.findall(self.block, self.starts()[start] if start else 0)
        tail = self.tail[max(0, start - self.in_block) :]
        if tail:
            found += pattern.findall(b"\n".join(tail))
        return found

    def containing(self, key: bytes) -> set[int]:
        """The positions of the lines that hold `key` once their ASCII letters are lowered,
        and of every line with a non-ASCII byte (`key`: lower case, no line end). Found by
        jumping from one matching line to the next: no line is copied (~40 ms at 100,000
        events for a rare text)."""
        found = set(self._high())
        found.update(_lines_holding(self.block.lower(), key, self.starts()))
        if self.tail:
            text = b"\n".join(self.tail) + b"\n"
            starts = _starts(text)
            for lines in (_lines_holding(text.lower(), key, starts), _non_ascii(text, starts)):
                found.update(self.in_block + line for line in lines)
        return found

    def _high(self) -> list[int]:
        """The lines of the block with a non-ASCII byte (worked out once: it never changes)."""
        if self._high_lines is None:
            self._high_lines = (
                [] if self.block.isascii() else list(_non_ascii(self.block, self.starts()))
            )
        return self._high_lines

    def __len__(self) -> int:
        return self.in_block + len(self.tail)

    def __getitem__(self, index: int) -> bytes:  # type: ignore[override]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"line {index} of {len(self)}")
        if index >= self.in_block:
            return self.tail[index - self.in_block]
        starts = self.starts()
        return self.block[starts[index] : starts[index + 1] - 1]

    def __iter__(self) -> Iterator[bytes]:
        """Line by line (splitting the block at once would make 100,000 objects together)."""
        if self.in_block:
            block, starts = self.block, self.starts()
            for index in range(self.in_block):
                yield block[starts[index] : starts[index + 1] - 1]
        yield from self.tail


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
        self._lines: Lines | None = None
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
        lines = previous._lines.copy()  # our own: committed() extends it in place
        if previous.size < self.size:
            with open(self.path, "rb") as file:
                file.seek(previous.size)
                tail = file.read(self.size - previous.size)
            lines.extend(
                split_lines(tail, self.db, self.size - previous.size, self.count - previous.count)
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

    def lines(self) -> Lines:
        """Every line, committed then pending (reads the side file on first use)."""
        if self._lines is None:
            if self.size:
                self._lines, self._inode = read_committed(self.db, self.size, self.count)
            else:  # nothing committed: there may be no side file at all
                self._lines = Lines()
        if not self.pending:
            return self._lines
        self._lines.starts()  # worked out once here, not again in each copy
        lines = self._lines.copy()
        lines.extend(self.pending)
        return lines

    def columns(self, *names: str, start: int = 0) -> list[list[Any]]:
        """Some fields' stored values in the lines from position `start` on (None where a
        document lacks one), in file order, without decoding the documents: one list per
        name.

        For the Activity view at 100,000 events, which needs every event's Business Center
        and time to order a page: decoding every line took ~0.15 s, this ~0.1 s. A reader
        that kept what it read of an earlier version asks only for the lines after it (see
        `mark`)."""
        lines = self.lines()
        return [self._read_column(name, lines, start) for name in names]

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
        found = self.lines().containing(text.lower().encode())
        return [index for index in positions if index in found]

    def mark(self) -> tuple[str, int]:
        """(epoch, lines): while the epoch is the same, the first `lines` lines are too."""
        return self.epoch, len(self)

    def _read_column(self, name: str, lines: Lines, start: int) -> list[Any]:
        """`name`'s value in each of `lines` from `start` on: a string without escapes as it
        is found in the encoded line (`_string_field`), anything else by decoding that line."""
        pattern = re.compile(_string_field(name))
        found = lines.findall(pattern, start)
        if len(found) == len(lines) - start:  # one per line (a key appears once): aligned
            return _strings(found)
        values = []
        for line in (lines[index] for index in range(start, len(lines))):
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
