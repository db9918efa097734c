"""Errors the store raises when it refuses to open, lock or save a database.

Every error is meant to be shown to a person as it is: ``str(error)`` is one line that says
what happened, which file, and what to do about it. The CLI and the app print it and exit (or
show it in a dialog); nobody should need a traceback to understand a refusal.

Messages point at two ways out that the rest of bc-tui provides: ``bc-tui db restore --db
PATH`` (which puts back ``PATH.bak``, the automatic backup made each time bc-tui opens the
database for writing) and ``--db NEW_PATH`` (start a new database somewhere else).
"""

from __future__ import annotations

import errno
import os
import shlex
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "BackupMissing",
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
    "StoreError",
    "backup_path",
    "events_path",
    "lock_path",
]

NEW_DB_HINT = "start a new database with `--db NEW_PATH`"


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the automatic backup of the database at ``path`` lives (``<path>.bak``).

    Defined here so that the error messages, the store and ``restore_backup`` can never
    disagree about the name.
    """
    p = Path(path)
    return p.with_name(p.name + ".bak")


def events_path(path: str | os.PathLike[str]) -> Path:
    """The append-only side file holding the audit log of the database at ``path``
    (``<path>.events``; see ``eventlog``)."""
    p = Path(path)
    return p.with_name(p.name + ".events")


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file that serialises writers of the database at ``path`` (``<path>.lock``)."""
    return Path(str(path) + ".lock")


def _q(path: str | os.PathLike[str]) -> str:
    """Quote a path so that the command it appears in can be pasted into a shell."""
    return shlex.quote(str(path))


def _restore_or_new(path: Path) -> str:
    """The way out for a file we refuse to use: restore the backup if there is one.

    Checked when the error is created so the message never promises a backup that does not
    exist.
    """
    bak = backup_path(path)
    try:
        has_backup = bak.is_file()
    except OSError:
        has_backup = False
    if has_backup:
        return (
            f"Restore the automatic backup {bak} with `bc-tui db restore --db {_q(path)}`, "
            f"or {NEW_DB_HINT}."
        )
    return f"There is no automatic backup ({bak} does not exist): fix the file or {NEW_DB_HINT}."


def _rebuild(cls: type[StoreError], path: Path, message: str) -> StoreError:
    """Unpickle helper: subclasses have their own ``__init__`` signatures, so bypass them."""
    error = cls.__new__(cls)
    StoreError.__init__(error, path, message)
    return error


class StoreError(Exception):
    """Base class: the database at ``path`` cannot be used; ``str()`` says why and what to do."""

    def __init__(self, path: str | os.PathLike[str], message: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.message = message

    def __str__(self) -> str:
        # One line, whatever the path contains: a newline in a file name must not split it.
        return self.message.replace("\r", "\\r").replace("\n", "\\n")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.path, self.message))


class DatabaseCorrupt(StoreError):
    """The file is not a bc-tui database: not JSON, or JSON of the wrong shape, or no schema.

    ``reason`` is a short phrase such as ``"invalid JSON at line 3, column 5"``.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        p = Path(path)
        self.reason = reason
        super().__init__(
            p,
            f"{p} is not a bc-tui database ({reason}). It was left untouched. {_restore_or_new(p)}",
        )


class EventsCorrupt(DatabaseCorrupt):
    """The audit log side file (``<path>.events``) does not hold what the database records.

    ``path`` is the database's, because that is what the user opens, restores or replaces;
    the message names the side file too. A DatabaseCorrupt, so everything that refuses a
    corrupt database refuses this the same way.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        p = Path(path)
        self.reason = reason
        StoreError.__init__(
            self,
            p,
            f"{events_path(p)}, the audit log of {p}, is damaged ({reason}). Both files were "
            f"left untouched. {_restore_or_new(p)}",
        )


class DatabaseTooNew(StoreError):
    """The file was written by a newer bc-tui whose schema this program does not know."""

    def __init__(self, path: str | os.PathLike[str], found: int, known: int) -> None:
        p = Path(path)
        self.found = found
        self.known = known
        super().__init__(
            p,
            f"{p} was written by a newer bc-tui (schema version {found}; this bc-tui "
            f"understands up to {known}). It was left untouched. Upgrade bc-tui to open it, "
            f"or {NEW_DB_HINT}.",
        )


class DatabaseMigrationFailed(StoreError):
    """Upgrading an older file to the current schema raised: a bug, but the file is safe."""

    def __init__(
        self, path: str | os.PathLike[str], from_version: int, error: BaseException
    ) -> None:
        p = Path(path)
        self.from_version = from_version
        super().__init__(
            p,
            f"Could not upgrade {p} from schema version {from_version} to "
            f"{from_version + 1} ({type(error).__name__}: {error}). It was left untouched. "
            f"Please report this as a bug; meanwhile use the bc-tui version that wrote it, "
            f"or {NEW_DB_HINT}.",
        )


class DatabaseReadOnly(StoreError):
    """The database cannot be changed: read-only file, read-only folder, or opened read-only.

    ``what`` is ``"file"`` (the file is not writable), ``"folder"`` (its folder is not
    writable: bc-tui saves by writing a new copy and a lock file next to it) or ``"opened"``
    (the Store was opened with ``readonly=True`` and a transaction was attempted).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        what: Literal["file", "folder", "opened"] = "file",
    ) -> None:
        p = Path(path)
        self.what = what
        folder = p.parent
        if what == "file":
            message = (
                f"{p} is read-only, so bc-tui cannot save changes to it. Make it writable "
                f"(chmod u+w {_q(p)}), or open a writable copy with `--db NEW_PATH`."
            )
        elif what == "folder":
            message = (
                f"The folder {folder} is not writable, so bc-tui cannot save {p} (it saves by "
                f"writing a new copy and a lock file next to it). Fix the folder's permissions "
                f"(chmod u+w {_q(folder)}), or use a `--db NEW_PATH` in a writable folder."
            )
        else:
            message = (
                f"{p} was opened read-only (as `bc-tui export` does), so it cannot be changed "
                f"here. Open it without the read-only option to make changes."
            )
        super().__init__(p, message)


class DatabaseBusy(StoreError):
    """Another process (or thread) held the database's lock for longer than the timeout."""

    def __init__(self, path: str | os.PathLike[str], timeout: float) -> None:
        p = Path(path)
        self.timeout = timeout
        super().__init__(
            p,
            f"{p} is busy: another bc-tui is saving to it and its lock {lock_path(p)} was not "
            f"released within {timeout:g} s. Wait for the other bc-tui to finish (or close it) "
            f"and try again.",
        )


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NO_PERMISSION = {errno.EACCES, errno.EPERM, errno.EROFS}


class DatabaseWriteFailed(StoreError):
    """Saving failed with an OSError (disk full, permissions, I/O error); old file intact."""

    def __init__(self, path: str | os.PathLike[str], error: OSError) -> None:
        p = Path(path)
        self.error = error
        what = error.strerror or str(error) or type(error).__name__
        if error.errno in _DISK_FULL:
            advice = "Free some disk space and try again."
        elif error.errno in _NO_PERMISSION:
            advice = f"Check that you may write to the folder {p.parent} and try again."
        else:
            advice = f"Try again; if it keeps failing, {NEW_DB_HINT} on another disk."
        super().__init__(
            p,
            f"Could not save {p}: {what}. The file was left as it was before, and this change "
            f"was not saved. {advice}",
        )


class DatabaseUnusable(StoreError):
    """The path cannot hold a database at all: a folder, unreadable, bad parent, I/O error.

    Takes a complete message because the way out depends on the case.
    """


def refuse_missing(path: Path, way_in: str) -> None:
    """Refuse a database file that is not there, without making it (opening it would, and
    then the app refused the empty file). Any other trouble with the path is left to the
    opening, which says what it is (a folder that is a file, a name too long, no access)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        raise DatabaseNotFound(path, f"{path} does not exist yet. {way_in}") from None
    except OSError:
        return


class DatabaseNotFound(StoreError):
    """The database file does not exist where it must (read-only open, or it was deleted)."""

    def __init__(self, path: str | os.PathLike[str], message: str | None = None) -> None:
        p = Path(path)
        super().__init__(
            p,
            message
            or (
                f"{p} does not exist. Check the path given with --db (or BC_TUI_DB); "
                f"`bc-tui --db {_q(p)} init` (or `--demo`) makes a new one there."
            ),
        )


class NothingToRestore(StoreError):
    """``restore_backup`` was asked to restore a database that is its backup already (a
    second restore: the file reopened since made its backup of the restored file)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        p = Path(path)
        super().__init__(
            p,
            f"{p} is the same as its backup ({backup_path(p)}): there is nothing to restore. "
            f"{p} was not changed. Files that earlier restores replaced are kept beside it as "
            f"{p.name}.before-restore*.",
        )


class BackupMissing(StoreError):
    """``restore_backup`` was asked to restore, but there is no ``<path>.bak``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        p = Path(path)
        super().__init__(
            p,
            f"There is no automatic backup of {p} to restore ({backup_path(p)} does not exist; "
            f"bc-tui makes one each time it opens the database for writing). {p} was not "
            f"changed.",
        )
