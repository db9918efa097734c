"""Unit tests for bc_tui.store: opening, validation, transactions, refresh, backups, errors.

Everything runs in one process on files under tmp_path; the multi-process behaviour (two
writers, a writer killed mid-write, a lock held elsewhere) is in test_store_processes.py.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import filelock
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import Query
from tinydb.table import Document

import bc_tui.store.database as database
import bc_tui.store.storage as storage_module
from bc_tui.store import (
    BackupMissing,
    CachedAtomicStorage,
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseMigrationFailed,
    DatabaseNotFound,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnusable,
    DatabaseWriteFailed,
    NothingToRestore,
    Store,
    StoreError,
    backup_path,
    displaced_path,
    lock_path,
    restore_backup,
)

V = database.SCHEMA_VERSION
NEW_FILE = b'{"_meta":{"1":{"schema_version":%d}}}' % V


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "bc.json"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store(db, lock_timeout=2)
    yield s
    s.close()


def one_line(error: BaseException, path: Path) -> str:
    """The message must be a single line that names the file."""
    text = str(error)
    assert "\n" not in text and "\r" not in text
    assert str(path) in text
    return text


def count_replaces(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every os.replace target: one per atomic file write."""
    calls: list[str] = []
    real = os.replace

    def counting(src: Any, dst: Any, **kwargs: Any) -> None:
        calls.append(os.fspath(dst))
        real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", counting)
    return calls


def stray_files(folder: Path) -> list[str]:
    """Files that are not the database, its lock or its backup (e.g. leftover temp files)."""
    expected = {"bc.json", "bc.json.lock", "bc.json.bak"}
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)


def docs(store: Store, table: str) -> dict[int, dict[str, Any]]:
    return {doc.doc_id: dict(doc) for doc in store.table(table).all()}


# -- creating and reopening -------------------------------------------------------------------


def test_new_database_is_created_with_folder_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "bc.json"
    with Store(path) as s:
        assert path.read_bytes() == NEW_FILE
        assert s.revision == 0
        assert s.table("_meta").get(doc_id=1) == {"schema_version": V}
    assert not backup_path(path).exists()  # nothing to back up yet
    assert stray_files(path.parent) == []


def test_reopen_keeps_data(db: Path) -> None:
    with Store(db) as s, s.transaction() as tx:
        tx.table("accounts").insert({"name": "Café ☕", "n": 1})
    with Store(db) as s:
        assert docs(s, "accounts") == {1: {"name": "Café ☕", "n": 1}}
    # compact, UTF-8, not \u-escaped
    assert "Café ☕".encode() in db.read_bytes()
    assert b", " not in db.read_bytes() and b": " not in db.read_bytes()


def test_reopen_makes_backup_of_existing_file(db: Path) -> None:
    Store(db).close()
    before = db.read_bytes()
    with Store(db) as s:
        assert backup_path(db).read_bytes() == before
        with s.transaction() as tx:
            tx.table("t").insert({"a": 1})
    assert backup_path(db).read_bytes() == before  # backup is the file as it was when opened


def test_an_unchanged_file_keeps_its_backup_as_it_is(db: Path) -> None:
    """Reopening a file nobody changed writes no backup (it holds those bytes already); a
    changed file, or a backup whose mode differs, is backed up again."""
    Store(db).close()
    Store(db).close()
    kept = backup_path(db).stat()
    Store(db).close()
    assert backup_path(db).stat().st_ino == kept.st_ino  # not rewritten
    with Store(db) as s, s.transaction() as tx:
        tx.table("t").insert({"a": 1})
    changed = db.read_bytes()
    Store(db).close()
    assert backup_path(db).read_bytes() == changed
    kept = backup_path(db).stat()
    os.chmod(db, 0o640)
    Store(db).close()
    rewritten = backup_path(db).stat()
    assert rewritten.st_ino != kept.st_ino
    assert stat.S_IMODE(rewritten.st_mode) == 0o640


def test_a_backup_that_is_not_a_plain_file_is_replaced(db: Path) -> None:
    """A link (here to the database itself, whose bytes always match) or a pipe (reading it
    would block) is never taken for the backup: it is replaced by a copy."""
    Store(db).close()
    Store(db).close()
    backup = backup_path(db)
    backup.unlink()
    backup.symlink_to(db)
    Store(db).close()
    assert not backup.is_symlink()
    assert backup.read_bytes() == db.read_bytes()
    backup.unlink()
    os.mkfifo(backup, 0o600)
    Store(db).close()  # would wait forever reading the pipe
    assert stat.S_ISREG(backup.lstat().st_mode)


def test_path_may_be_str_and_expands_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with Store("~/x/bc.json") as s:
        assert s.path == tmp_path / "x" / "bc.json"
        assert s.path.exists()


# -- transactions -----------------------------------------------------------------------------


def test_transaction_writes_once(store: Store, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.transaction() as tx:
        tx.table("a").insert_multiple([{"n": i} for i in range(5)])
    replaces = count_replaces(monkeypatch)
    writes = store.storage.writes
    with store.transaction() as tx:
        a = tx.table("a")
        assert a.insert({"n": 10}) == 6
        a.update({"n": -1}, doc_ids=[1])
        a.remove(doc_ids=[2])
        a.upsert({"n": 99, "k": "x"}, Query().k == "x")
        a.update({"seen": True}, Query().n > 3)
        tx.table("b").insert({"other": True})
    assert replaces == [str(db)]
    assert store.storage.writes == writes + 1
    on_disk = json.loads(db.read_bytes())
    assert on_disk["a"] == {
        "1": {"n": -1},
        "3": {"n": 2},
        "4": {"n": 3},
        "5": {"n": 4, "seen": True},
        "6": {"n": 10, "seen": True},
        "7": {"n": 99, "k": "x", "seen": True},
    }
    assert on_disk["b"] == {"1": {"other": True}}
    assert store.last_changed == {"a", "b"}


def test_commit_bumps_revision_and_reports_written_tables(store: Store) -> None:
    with store.transaction() as tx:
        tx.table("a").insert({"x": 1})
        tx.table("b").all()  # only read
    assert store.revision == 1
    assert store.last_changed == {"a"}
    with store.transaction() as tx:
        tx.table("b").truncate()
    assert store.revision == 2
    assert store.last_changed == {"b"}


def test_transaction_without_writes_writes_nothing(
    store: Store, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaces = count_replaces(monkeypatch)
    with store.transaction() as tx:
        assert tx.table("a").all() == []
    assert replaces == []
    assert store.revision == 0


def test_exception_rolls_back_memory_and_leaves_file(store: Store, db: Path) -> None:
    with store.transaction() as tx:
        tx.table("a").insert({"n": 1, "tags": ["x"]})
    before = db.read_bytes()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.transaction() as tx:
        a = tx.table("a")
        a.update({"n": 2}, doc_ids=[1])  # TinyDB mutates the in-memory document in place
        a.insert({"n": 3})
        tx.table("new").insert({"z": 1})
        assert len(store.table("a")) == 2  # visible inside the transaction
        raise Boom
    assert db.read_bytes() == before
    assert docs(store, "a") == {1: {"n": 1, "tags": ["x"]}}
    assert "new" not in store.tables()
    assert store.revision == 1
    with store.transaction() as tx:  # and the store still works
        assert tx.table("a").insert({"n": 4}) == 2


def test_failing_tinydb_operation_is_rolled_back(store: Store, db: Path) -> None:
    with store.transaction() as tx:
        tx.table("a").insert({"n": 1})
    before = db.read_bytes()
    with pytest.raises(ValueError, match="already exists"), store.transaction() as tx:
        # inserts {"n": 2}, then fails on the clashing id: TinyDB leaves the first insert
        tx.table("a").insert_multiple([{"n": 2}, Document({"n": 3}, doc_id=1)])
    assert db.read_bytes() == before
    assert docs(store, "a") == {1: {"n": 1}}


def test_unserialisable_value_rolls_back(store: Store, db: Path) -> None:
    before = db.read_bytes()
    with pytest.raises(TypeError), store.transaction() as tx:
        tx.table("a").insert({"when": object()})
    with pytest.raises(TypeError), store.transaction() as tx:
        tx.table("a").insert({"x": "\ud800"})  # a lone surrogate cannot be UTF-8
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(TypeError), store.transaction() as tx:
        tx.table("a").insert({"x": cycle})
    assert db.read_bytes() == before
    assert "a" not in store.tables()


def test_nested_transactions_commit_once(
    store: Store, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaces = count_replaces(monkeypatch)
    with store.transaction() as outer:
        outer.table("a").insert({"n": 1})
        with store.transaction() as inner:
            assert inner is outer
            inner.table("a").insert({"n": 2})
            with store.transaction() as innermost:
                innermost.table("b").insert({"n": 3})
        assert replaces == []  # inner blocks do not commit
        assert json.loads(db.read_bytes()) == json.loads(NEW_FILE)
    assert replaces == [str(db)]
    assert store.revision == 1
    assert store.last_changed == {"a", "b"}


def test_exception_in_nested_transaction_rolls_back_everything(store: Store, db: Path) -> None:
    before = db.read_bytes()
    with pytest.raises(RuntimeError, match="inner"), store.transaction() as outer:
        outer.table("a").insert({"n": 1})
        with store.transaction() as inner:
            inner.table("a").insert({"n": 2})
            raise RuntimeError("inner")
    assert db.read_bytes() == before
    assert docs(store, "a") == {}


def test_writes_outside_a_transaction_raise(store: Store, db: Path) -> None:
    with store.transaction() as tx:
        tx.table("a").insert({"n": 1})
        leaked = tx.table("a")
    before = db.read_bytes()
    with pytest.raises(RuntimeError, match="transaction"):
        store.table("a").insert({"n": 2})
    with pytest.raises(RuntimeError, match="transaction"):
        store.table("a").update({"n": 2}, doc_ids=[1])
    with pytest.raises(RuntimeError, match="transaction"):
        leaked.insert({"n": 3})  # a table from a finished transaction
    with pytest.raises(RuntimeError, match="transaction"):
        store.storage.write({"a": {}})
    assert db.read_bytes() == before
    assert docs(store, "a") == {1: {"n": 1}}


def test_storage_write_outside_transaction_raises_and_restores_memory(db: Path) -> None:
    Store(db).close()
    storage = CachedAtomicStorage(db)
    data = storage.read()
    data["_meta"]["1"]["schema_version"] = 42  # as TinyDB would, before calling write()
    with pytest.raises(RuntimeError):
        storage.write(data)
    assert storage.read()["_meta"]["1"]["schema_version"] == V
    assert db.read_bytes() == NEW_FILE
    storage.close()


def test_reads_do_not_parse_or_touch_the_file(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.transaction() as tx:
        tx.table("a").insert_multiple([{"n": i} for i in range(100)])

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("reads must not parse JSON or open the file")

    loads = store.storage.loads
    monkeypatch.setattr(json, "loads", forbidden)
    monkeypatch.setattr(os, "open", forbidden)
    monkeypatch.setattr(os, "read", forbidden)
    assert len(store.table("a")) == 100
    assert store.table("a").get(doc_id=50) == {"n": 49}
    assert len(store.table("a").search(Query().n >= 90)) == 10
    refreshed = store.refresh()  # a stat, no read
    monkeypatch.undo()
    assert refreshed is False
    assert store.storage.loads == loads


def test_transactions_from_threads_are_serialised(store: Store) -> None:
    errors: list[BaseException] = []

    def work(tag: str) -> None:
        try:
            for i in range(30):
                with store.transaction() as tx:
                    tx.table("t").insert({"tag": tag, "i": i})
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(tag,)) for tag in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert not any(t.is_alive() for t in threads)
    assert len(store.table("t")) == 60
    assert store.revision == 60


def test_closed_store_refuses_use(db: Path) -> None:
    s = Store(db)
    s.close()
    s.close()  # idempotent
    for use in (lambda: s.table("a"), s.refresh, lambda: s.transaction().__enter__()):
        with pytest.raises(RuntimeError, match="closed"):
            use()


# -- refresh: other processes' writes (simulated by a second Store) ---------------------------


def test_second_store_sees_change_after_refresh(db: Path) -> None:
    with Store(db) as a, Store(db) as b:
        assert b.refresh() is False
        with a.transaction() as tx:
            tx.table("accounts").insert({"name": "one"})
        assert docs(b, "accounts") == {}  # not until refresh
        assert b.refresh() is True
        assert b.revision == 1
        assert b.last_changed == {"_meta", "accounts"}
        assert docs(b, "accounts") == {1: {"name": "one"}}
        assert b.refresh() is False
        assert b.revision == 1


def test_own_write_is_not_seen_as_external_change(store: Store) -> None:
    with store.transaction() as tx:
        tx.table("a").insert({"n": 1})
    loads = store.storage.loads
    assert store.refresh() is False
    with store.transaction() as tx:  # the re-read under the lock finds nothing new either
        tx.table("a").insert({"n": 2})
    assert store.storage.loads == loads
    assert store.revision == 2


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_replaced_versions_are_let_go(db: Path) -> None:
    """Each version written or reloaded is held open (its inode pinned) only until the next
    one replaces it; the old descriptor is closed on a worker thread, but it is closed."""
    with Store(db) as a, Store(db) as b:
        with a.transaction() as tx:
            tx.table("t").insert({"n": 0})
        storage_module._releaser.submit(lambda: None).result(timeout=10)
        before = len(os.listdir("/proc/self/fd"))
        for n in range(1, 21):
            with a.transaction() as tx:
                tx.table("t").insert({"n": n})
            assert b.refresh() is True
        storage_module._releaser.submit(lambda: None).result(timeout=10)  # closes done
        assert len(os.listdir("/proc/self/fd")) == before
        assert len(docs(b, "t")) == 21


def test_no_doc_id_clash_after_external_insert(db: Path) -> None:
    with Store(db) as a, Store(db) as b:
        with b.transaction() as tx:
            assert tx.table("t").insert({"by": "b"}) == 1
        with a.transaction() as tx:  # re-reads under the lock: sees b's document
            assert tx.table("t").insert({"by": "a"}) == 2
        with b.transaction() as tx:  # a fresh Table: not fooled by a stale cached next id
            assert tx.table("t").insert({"by": "b"}) == 3
        b.refresh()
        assert docs(b, "t") == {1: {"by": "b"}, 2: {"by": "a"}, 3: {"by": "b"}}
        assert a.revision == 2  # its own commit + the reload of b's first write


def test_commit_on_top_of_external_write_loses_nothing(db: Path) -> None:
    with Store(db) as a, Store(db) as b:
        with a.transaction() as tx:
            tx.table("x").insert({"v": "a"})
        with b.transaction() as tx:
            tx.table("y").insert({"v": "b"})
        # b reloaded a's write under the lock, so its commit reports both as changed
        assert b.last_changed >= {"x", "y"}
    with Store(db) as c:
        assert docs(c, "x") == {1: {"v": "a"}}
        assert docs(c, "y") == {1: {"v": "b"}}


def test_refresh_reports_corrupt_and_deleted_files(db: Path) -> None:
    with Store(db) as s:
        with s.transaction() as tx:
            tx.table("a").insert({"n": 1})
        db.write_text('{"a": ')
        with pytest.raises(DatabaseCorrupt) as caught:
            s.refresh()
        one_line(caught.value, db)
        assert docs(s, "a") == {1: {"n": 1}}  # the last good state stays readable
        db.unlink()
        with pytest.raises(DatabaseNotFound) as gone:
            s.refresh()
        assert "was deleted or moved" in one_line(gone.value, db)


def test_refresh_is_skipped_inside_a_transaction(db: Path) -> None:
    with Store(db) as b, b.transaction() as tx:
        tx.table("t").insert({"n": 1})
        assert b.refresh() is False


# -- refusing unusable files ------------------------------------------------------------------

BAD_FILES: dict[str, tuple[bytes, type[StoreError]]] = {
    "truncated": (b'{"_meta":{"1":{"schema_version":1}},"a":{"1":{"n"', DatabaseCorrupt),
    "empty": (b"", DatabaseCorrupt),
    "whitespace": (b" \n\t\n", DatabaseCorrupt),
    "not utf-8": (b'{"_meta":{"1":{"schema_version":1}},"a":{"1":{"n":"\xff"}}}', DatabaseCorrupt),
    "list": (b"[1, 2, 3]", DatabaseCorrupt),
    "meta not a table": (b'{"_meta": 5}', DatabaseCorrupt),
    "document not an object": (
        b'{"_meta":{"1":{"schema_version":1}},"a":{"1":[1]}}',
        DatabaseCorrupt,
    ),
    "document id not a number": (
        b'{"_meta":{"1":{"schema_version":1}},"a":{"x":{}}}',
        DatabaseCorrupt,
    ),
    "no _meta": (b'{"accounts":{"1":{"name":"a"}}}', DatabaseCorrupt),
    "no schema_version": (b'{"_meta":{"1":{"created":"2024"}}}', DatabaseCorrupt),
    "schema_version not int": (b'{"_meta":{"1":{"schema_version":"1"}}}', DatabaseCorrupt),
    "schema_version zero": (b'{"_meta":{"1":{"schema_version":0}}}', DatabaseCorrupt),
    "future schema": (b'{"_meta":{"1":{"schema_version":99}}}', DatabaseTooNew),
}


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_unusable_file_is_refused_and_left_untouched(db: Path, case: str, readonly: bool) -> None:
    content, error_class = BAD_FILES[case]
    db.write_bytes(content)
    with pytest.raises(error_class) as caught:
        Store(db, readonly=readonly)
    text = one_line(caught.value, db)
    assert caught.value.path == db
    assert db.read_bytes() == content
    assert not backup_path(db).exists()
    assert stray_files(db.parent) == []
    assert "left untouched" in text
    assert "--db NEW_PATH" in text


def test_error_messages_read_well(db: Path) -> None:
    db.write_bytes(b'{\n"_meta": {\n"1": {"schema_version": 1,}}}')
    with pytest.raises(DatabaseCorrupt) as caught:
        Store(db)
    assert str(caught.value) == (
        f"{db} is not a bc-tui database (invalid JSON at line 3, column 27). It was left "
        f"untouched. There is no automatic backup ({db}.bak does not exist): fix the file or "
        f"start a new database with `--db NEW_PATH`."
    )
    db.write_bytes(b'{"_meta":{"1":{"schema_version":7}}}')
    with pytest.raises(DatabaseTooNew) as too_new:
        Store(db)
    assert str(too_new.value) == (
        f"{db} was written by a newer bc-tui (schema version 7; this bc-tui understands up to "
        f"{V}). It was left untouched. Upgrade bc-tui to open it, or start a new database with "
        f"`--db NEW_PATH`."
    )


def test_corrupt_message_offers_the_backup_when_there_is_one(db: Path) -> None:
    Store(db).close()
    Store(db).close()  # second open makes bc.json.bak
    db.write_bytes(b"garbage")
    with pytest.raises(DatabaseCorrupt) as caught:
        Store(db)
    text = one_line(caught.value, db)
    assert f"Restore the automatic backup {db}.bak with `bc-tui db restore --db {db}`" in text
    assert db.read_bytes() == b"garbage"
    assert backup_path(db).read_bytes() == NEW_FILE  # the backup was not overwritten


def test_message_stays_one_line_for_odd_paths(tmp_path: Path) -> None:
    odd = tmp_path / "a b\nc.json"
    odd.write_bytes(b"nope")
    with pytest.raises(DatabaseCorrupt) as caught:
        Store(odd)
    assert "\n" not in str(caught.value)
    assert caught.value.path == odd


def test_errors_survive_pickling(db: Path) -> None:
    error = DatabaseTooNew(db, 3, 1)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is DatabaseTooNew
    assert str(copy) == str(error)
    assert copy.path == db


def test_directory_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "bc.json"
    folder.mkdir()
    (folder / "keep").write_text("x")
    for readonly in (False, True):
        with pytest.raises(DatabaseUnusable) as caught:
            Store(folder, readonly=readonly)
        text = one_line(caught.value, folder)
        assert "is a folder" in text
    assert [p.name for p in folder.iterdir()] == ["keep"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.json"]  # no lock file either


def test_parent_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseUnusable) as caught:
        Store(blocker / "bc.json")
    one_line(caught.value, blocker / "bc.json")
    assert blocker.read_text() == "x"


def test_readonly_open_of_missing_file(db: Path) -> None:
    with pytest.raises(DatabaseNotFound) as caught:
        Store(db, readonly=True)
    one_line(caught.value, db)
    assert not db.exists()


# -- permissions ------------------------------------------------------------------------------


def deny_access(monkeypatch: pytest.MonkeyPatch, denied: Path, mode: int) -> None:
    """Make os.access say `denied` lacks `mode` (chmod does not bite when tests run as root)."""
    real = os.access

    def access(path: Any, wanted: int, **kwargs: Any) -> bool:
        if Path(path) == denied and wanted & mode:
            return False
        return real(path, wanted, **kwargs)

    monkeypatch.setattr(os, "access", access)


def test_readonly_file_simulated(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db).close()
    deny_access(monkeypatch, db, os.W_OK)
    with pytest.raises(DatabaseReadOnly) as caught:
        Store(db)
    text = one_line(caught.value, db)
    assert "read-only" in text and "chmod u+w" in text and "--db NEW_PATH" in text
    assert db.read_bytes() == NEW_FILE
    assert not backup_path(db).exists()
    with Store(db, readonly=True) as s:  # still fine for reading (export)
        assert s.table("_meta").get(doc_id=1) == {"schema_version": V}


def test_readonly_folder_simulated(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db).close()
    deny_access(monkeypatch, db.parent, os.W_OK)
    with pytest.raises(DatabaseReadOnly) as caught:
        Store(db)
    text = one_line(caught.value, db)
    assert str(db.parent) in text and "folder" in text
    assert db.read_bytes() == NEW_FILE
    assert not backup_path(db).exists()


def test_new_database_in_readonly_folder_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny_access(monkeypatch, tmp_path, os.W_OK)
    with pytest.raises(DatabaseReadOnly):
        Store(tmp_path / "bc.json")
    assert list(tmp_path.iterdir()) == []


def test_readonly_file_real_chmod(db: Path) -> None:
    Store(db).close()
    db.chmod(0o444)
    try:
        if os.access(db, os.W_OK):
            pytest.skip("chmod does not make files read-only for this user (root)")
        with pytest.raises(DatabaseReadOnly):
            Store(db)
        assert db.read_bytes() == NEW_FILE
    finally:
        db.chmod(0o644)


def test_readonly_folder_real_chmod(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "bc.json"
    Store(path).close()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("chmod does not make folders read-only for this user (root)")
        with pytest.raises(DatabaseReadOnly):
            Store(path)
        assert path.read_bytes() == NEW_FILE
    finally:
        folder.chmod(0o755)


def test_unreadable_file_simulated(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db).close()
    real_open = os.open

    def deny(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path) == db:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    for readonly in (False, True):
        with pytest.raises(DatabaseUnusable) as caught:
            Store(db, readonly=readonly)
        assert "permission denied" in one_line(caught.value, db)
    monkeypatch.undo()
    assert db.read_bytes() == NEW_FILE


def test_unreadable_file_real_chmod(db: Path) -> None:
    Store(db).close()
    db.chmod(0o200)
    try:
        if os.access(db, os.R_OK):
            pytest.skip("chmod does not make files unreadable for this user (root)")
        with pytest.raises(StoreError):
            Store(db, readonly=True)
    finally:
        db.chmod(0o644)


def test_readonly_store_takes_no_lock_and_writes_nothing(db: Path) -> None:
    with Store(db) as writer, writer.transaction() as tx:
        tx.table("a").insert({"n": 1})
    lock_path(db).unlink()
    before = db.read_bytes()
    with Store(db, readonly=True) as reader:
        assert docs(reader, "a") == {1: {"n": 1}}
        with pytest.raises(DatabaseReadOnly) as caught:
            reader.transaction().__enter__()
        assert "read-only" in one_line(caught.value, db)
        with Store(db) as writer, writer.transaction() as tx:
            tx.table("a").insert({"n": 2})
        lock_path(db).unlink()
        backup_path(db).unlink()
        assert reader.refresh() is True
        assert len(reader.table("a")) == 2
    assert not lock_path(db).exists()
    assert not backup_path(db).exists()
    assert json.loads(db.read_bytes())["a"]["1"] == json.loads(before)["a"]["1"]


def test_file_mode_is_kept_across_writes(store: Store, db: Path) -> None:
    db.chmod(0o640)
    with store.transaction() as tx:
        tx.table("a").insert({"n": 1})
    assert db.stat().st_mode & 0o777 == 0o640


# -- write failures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "code", "advice"),
    [
        ("fsync", errno.ENOSPC, "Free some disk space"),
        ("write", errno.ENOSPC, "Free some disk space"),
        ("replace", errno.EACCES, "Check that you may write to the folder"),
        ("replace", errno.EIO, "Try again"),
    ],
)
def test_write_failure_keeps_old_file(
    store: Store,
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    code: int,
    advice: str,
) -> None:
    with store.transaction() as tx:
        tx.table("a").insert({"n": 1})
    before = db.read_bytes()

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    with pytest.raises(DatabaseWriteFailed) as caught, store.transaction() as tx:
        tx.table("a").insert({"n": 2})
        tx.table("a").update({"n": 5}, doc_ids=[1])
        monkeypatch.setattr(os, target, fail)
    monkeypatch.undo()
    text = one_line(caught.value, db)
    assert os.strerror(code) in text and advice in text and "was not saved" in text
    assert caught.value.error.errno == code
    assert db.read_bytes() == before
    assert stray_files(db.parent) == []
    assert docs(store, "a") == {1: {"n": 1}}  # memory rolled back to the file
    assert store.revision == 1
    with store.transaction() as tx:  # and saving works again once the disk is fine
        assert tx.table("a").insert({"n": 3}) == 2


def test_backup_write_failure_refuses_to_open(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db).close()

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(DatabaseWriteFailed) as caught:
        Store(db)
    monkeypatch.undo()
    assert caught.value.path == backup_path(db)
    assert db.read_bytes() == NEW_FILE
    assert stray_files(db.parent) == []


def test_creation_failure_leaves_nothing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(DatabaseWriteFailed):
        Store(db)
    monkeypatch.undo()
    assert not db.exists()
    assert stray_files(db.parent) == []


def test_stale_temp_files_are_removed_on_open(db: Path) -> None:
    Store(db).close()
    stale = [db.parent / ".bc.json.abcd_123.tmp", db.parent / ".bc.json.bak.zz99yy88.tmp"]
    unrelated = db.parent / ".bc.json.notes.tmp"
    for p in [*stale, unrelated]:
        p.write_text("partial")
    Store(db).close()
    assert not any(p.exists() for p in stale)
    assert unrelated.exists()


# -- opening with the upkeep left for later (the app's start) ---------------------------------


def test_upkeep_later_leaves_the_backup_and_the_temp_files_to_upkeep(db: Path) -> None:
    with Store(db) as s, s.transaction() as tx:
        tx.table("accounts").insert({"name": "a"})
    backup_path(db).unlink(missing_ok=True)
    opened = db.read_bytes()
    stale = db.parent / ".bc.json.abcd_123.tmp"
    stale.write_text("partial")
    with Store(db, upkeep_later=True) as s:
        assert docs(s, "accounts") == {1: {"name": "a"}}
        assert not backup_path(db).exists() and stale.exists()
        assert s.upkeep() is True
        assert backup_path(db).read_bytes() == opened and not stale.exists()
        assert s.upkeep() is True  # (once: nothing left)


def test_the_first_transaction_backs_up_the_file_as_it_opened_before_writing(db: Path) -> None:
    Store(db).close()
    backup_path(db).unlink(missing_ok=True)
    opened = db.read_bytes()
    with Store(db, upkeep_later=True) as s:
        with s.transaction() as tx:
            tx.table("accounts").insert({"name": "a"})
        assert backup_path(db).read_bytes() == opened != db.read_bytes()
        assert s.upkeep() is True


def test_upkeep_waits_for_the_lock_without_blocking(db: Path) -> None:
    """Another process holding the lock: upkeep says so at once, and does it once free."""
    import filelock

    Store(db).close()
    backup_path(db).unlink(missing_ok=True)
    other = filelock.FileLock(str(lock_path(db)))
    with Store(db, upkeep_later=True) as s:
        with other:
            assert s.upkeep() is False
            assert not backup_path(db).exists()
        assert s.upkeep() is True
        assert backup_path(db).exists()


def test_upkeep_backs_up_only_the_version_it_holds(db: Path) -> None:
    """Changed by another process since it was read: upkeep waits for the reload, then backs
    up that version (read again, not kept in memory since the open)."""
    Store(db).close()
    backup_path(db).unlink(missing_ok=True)
    with Store(db, upkeep_later=True) as s:
        with Store(db) as other, other.transaction() as tx:
            tx.table("accounts").insert({"name": "b"})
        backup_path(db).unlink()  # (the other's own open made one)
        assert s.upkeep() is False and not backup_path(db).exists()
        assert s.refresh()
        assert s.upkeep() is True
        assert backup_path(db).read_bytes() == db.read_bytes()


def test_upkeep_later_still_upgrades_an_old_file_on_open(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file to upgrade is upgraded, and backed up first, under the lock, at once: the app
    must not run on a document the file does not hold."""
    Store(db).close()
    old = db.read_bytes()
    monkeypatch.setattr(database, "SCHEMA_VERSION", V + 1)
    monkeypatch.setattr(database, "MIGRATIONS", {V: lambda doc: doc.setdefault("new", {})})
    with Store(db, upkeep_later=True) as s:
        assert json.loads(db.read_bytes())["_meta"]["1"]["schema_version"] == V + 1
        assert backup_path(db).read_bytes() == old
        assert s.upkeep() is True


def test_upkeep_later_creates_a_new_file_under_the_lock_at_once(db: Path) -> None:
    with Store(db, upkeep_later=True) as s:
        assert db.read_bytes() == NEW_FILE
        assert s.upkeep() is True


# -- migrations, backup and restore -----------------------------------------------------------


def test_migration_runs_once_and_backup_restores_v1(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db) as s, s.transaction() as tx:
        tx.table("accounts").insert({"name": "a"})
    v1 = db.read_bytes()
    calls: list[int] = []

    def to_v2(doc: dict[str, Any]) -> None:
        calls.append(doc["_meta"]["1"]["schema_version"])
        for account in doc["accounts"].values():
            account["status"] = "ENABLE"

    monkeypatch.setattr(database, "SCHEMA_VERSION", V + 1)
    monkeypatch.setattr(database, "MIGRATIONS", {V: to_v2})
    with Store(db) as s:
        assert calls == [V]
        assert docs(s, "accounts") == {1: {"name": "a", "status": "ENABLE"}}
        assert s.table("_meta").get(doc_id=1) == {"schema_version": V + 1}
    v2 = db.read_bytes()
    assert json.loads(v2)["_meta"]["1"]["schema_version"] == V + 1
    assert json.loads(v2)["accounts"]["1"]["status"] == "ENABLE"
    assert backup_path(db).read_bytes() == v1

    kept = restore_backup(db)
    assert kept == db.with_name("bc.json.before-restore")
    assert db.read_bytes() == v1
    assert kept.read_bytes() == v2  # restoring destroys nothing

    with Store(db) as s:  # the restored v1 file is migrated again on open
        assert calls == [V, V]
        assert s.table("_meta").get(doc_id=1) == {"schema_version": V + 1}


def test_new_database_gets_current_schema(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "SCHEMA_VERSION", 3)
    Store(db).close()
    assert json.loads(db.read_bytes()) == {"_meta": {"1": {"schema_version": 3}}}


def test_readonly_open_migrates_in_memory_only(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db).close()
    monkeypatch.setattr(database, "SCHEMA_VERSION", V + 1)
    monkeypatch.setattr(database, "MIGRATIONS", {V: lambda doc: doc.setdefault("new", {})})
    with Store(db, readonly=True) as s:
        assert "new" in s.tables()
        assert s.table("_meta").get(doc_id=1) == {"schema_version": V + 1}
    assert db.read_bytes() == NEW_FILE
    assert not backup_path(db).exists()


@pytest.mark.parametrize(
    "migrations",
    [
        {},  # no migration registered for version 1
        {1: lambda doc: doc["missing"]},  # migration raises
        {1: lambda doc: doc.update(broken=[1])},  # migration breaks the shape
    ],
    ids=["missing", "raises", "breaks shape"],
)
def test_failing_migration_leaves_file(
    db: Path, monkeypatch: pytest.MonkeyPatch, migrations: dict[int, Callable[[dict], None]]
) -> None:
    Store(db).close()
    monkeypatch.setattr(database, "SCHEMA_VERSION", V + 1)
    monkeypatch.setattr(database, "MIGRATIONS", {V + k - 1: m for k, m in migrations.items()})
    with pytest.raises(DatabaseMigrationFailed) as caught:
        Store(db)
    assert f"from schema version {V} to {V + 1}" in one_line(caught.value, db)
    assert db.read_bytes() == NEW_FILE
    assert not backup_path(db).exists()


def test_restore_without_backup(db: Path) -> None:
    Store(db).close()
    with pytest.raises(BackupMissing) as caught:
        restore_backup(db)
    assert f"{db}.bak does not exist" in one_line(caught.value, db)
    assert db.read_bytes() == NEW_FILE


def test_restore_refuses_corrupt_backup(db: Path) -> None:
    Store(db).close()
    backup_path(db).write_bytes(b"{oops")
    with pytest.raises(DatabaseCorrupt) as caught:
        restore_backup(db)
    assert caught.value.path == backup_path(db)
    one_line(caught.value, backup_path(db))
    assert db.read_bytes() == NEW_FILE


def test_restore_over_corrupt_database_then_open(db: Path) -> None:
    with Store(db) as s, s.transaction() as tx:
        tx.table("a").insert({"n": 1})
    Store(db).close()  # backup now holds the document with {"n": 1}
    db.write_bytes(b"\x00\x00 torn")
    with pytest.raises(DatabaseCorrupt):
        Store(db)
    kept = restore_backup(db)
    assert kept is not None and kept.read_bytes() == b"\x00\x00 torn"
    with Store(db) as s:
        assert docs(s, "a") == {1: {"n": 1}}


def test_restore_when_database_is_missing(db: Path) -> None:
    Store(db).close()
    Store(db).close()
    db.unlink()
    assert restore_backup(db) is None
    assert db.read_bytes() == NEW_FILE
    assert not db.with_name("bc.json.before-restore").exists()


def test_a_restore_never_writes_over_what_an_earlier_one_kept(db: Path) -> None:
    """The walk's data loss: a second restore found the database reopened (so its backup
    was the restored file), and wrote that over the first restore's copy of the newest data.
    Now it refuses, and a restore of a file changed since keeps it under a new name."""
    with Store(db) as s, s.transaction() as tx:
        tx.table("a").insert({"n": 1})
    Store(db).close()  # (backup: n=1)
    with Store(db) as s, s.transaction() as tx:
        tx.table("a").insert({"n": 2})
    newest = db.read_bytes()
    first = restore_backup(db)
    assert first is not None and first.read_bytes() == newest
    Store(db).close()  # reopened: its backup is the restored file
    with pytest.raises(NothingToRestore) as caught:
        restore_backup(db)
    assert "nothing to restore" in one_line(caught.value, db)
    assert first.read_bytes() == newest  # (kept)
    with Store(db) as s, s.transaction() as tx:
        tx.table("a").insert({"n": 3})
    changed = db.read_bytes()
    backup_path(db).write_bytes(first.read_bytes())  # (a backup that differs again)
    second = restore_backup(db)
    assert second == db.with_name("bc.json.before-restore-2")
    assert (first.read_bytes(), second.read_bytes()) == (newest, changed)
    assert displaced_path(db) == db.with_name("bc.json.before-restore-3")


# -- the lock ---------------------------------------------------------------------------------


def test_busy_when_another_lock_object_holds_the_lock(db: Path) -> None:
    # filelock locks are per FileLock object (flock on its own descriptor): a second object in
    # the same process blocks just like another process would.
    with Store(db, lock_timeout=0.2) as s:
        before = db.read_bytes()
        with filelock.FileLock(str(lock_path(db))):
            started = time.monotonic()
            with pytest.raises(DatabaseBusy) as caught, s.transaction() as tx:
                tx.table("a").insert({"n": 1})  # pragma: no cover - never reached
            assert time.monotonic() - started < 5
            text = one_line(caught.value, db)
            assert str(lock_path(db)) in text and "0.2 s" in text
            with pytest.raises(DatabaseBusy):
                Store(db, lock_timeout=0.2)
            with Store(db, readonly=True) as reader:  # readers need no lock
                assert reader.revision == 0
        assert db.read_bytes() == before
        with s.transaction() as tx:  # free again
            tx.table("a").insert({"n": 1})


# -- a model-based check: whatever happens, memory, file and a fresh open agree ---------------

operation = st.one_of(
    st.tuples(st.just("insert"), st.sampled_from("ab"), st.integers(-5, 5)),
    st.tuples(st.just("update"), st.sampled_from("ab"), st.integers(1, 6)),
    st.tuples(st.just("remove"), st.sampled_from("ab"), st.integers(1, 6)),
)
transaction_plan = st.tuples(st.lists(operation, min_size=1, max_size=4), st.booleans())


@settings(max_examples=25, deadline=None)
@given(st.lists(transaction_plan, min_size=1, max_size=6))
def test_model_memory_file_and_reopen_agree(plans: list[tuple[list[Any], bool]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bc.json"
        model: dict[str, dict[int, dict[str, int]]] = {"a": {}, "b": {}}
        with Store(path) as s:
            for ops, fail in plans:
                draft = {name: {k: dict(v) for k, v in t.items()} for name, t in model.items()}
                # TinyDB picks max(id) + 1 at a Table's first insert, then counts up; the store
                # gives each transaction fresh Tables.
                next_id: dict[str, int] = {}
                try:
                    with s.transaction() as tx:
                        for kind, name, value in ops:
                            table = tx.table(name)
                            if kind == "insert":
                                expected = next_id.get(name, max(draft[name], default=0) + 1)
                                assert table.insert({"v": value}) == expected
                                draft[name][expected] = {"v": value}
                                next_id[name] = expected + 1
                            elif kind == "update" and value in draft[name]:
                                table.update({"v": 100}, doc_ids=[value])
                                draft[name][value]["v"] = 100
                            elif kind == "remove" and value in draft[name]:
                                table.remove(doc_ids=[value])
                                del draft[name][value]
                        if fail:
                            raise ZeroDivisionError
                except ZeroDivisionError:
                    pass
                else:
                    model = draft
                for name in "ab":
                    assert docs(s, name) == model[name]
        with Store(path, readonly=True) as fresh:
            for name in "ab":
                assert docs(fresh, name) == model[name]
