"""The audit log's side file (``<db>.events``): append-only, committed by the main file.

Each crash window of a commit is exercised: killed after the side-file append but before the
main file is replaced, a torn last line, a side file shorter than recorded or damaged; and the
migration of a schema-1 file, restore, and another process's refresh reading only the tail.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import bc_tui.store.eventlog as eventlog
from bc_tui import cli
from bc_tui.store import (
    DatabaseWriteFailed,
    EventsCorrupt,
    Store,
    backup_path,
    events_path,
    restore_backup,
)
from bc_tui.store.database import LOG_TABLE, SCHEMA_VERSION

V1_FILE = json.dumps(
    {
        "_meta": {"1": {"schema_version": 1}},
        "audit_events": {"1": {"n": 1}, "2": {"n": 2}},
        "users": {"1": {"name": "ann"}},
    }
).encode()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "bc.json"


def add_events(db: Path, *numbers: int) -> None:
    """Commit one event per number, each in its own transaction (as use cases do)."""
    with Store(db, lock_timeout=5) as store:
        for n in numbers:
            with store.transaction() as tx:
                tx.table(LOG_TABLE).insert({"n": n})


def events(db: Path) -> list[tuple[int, dict[str, Any]]]:
    """(doc id, document) of every committed event, as a fresh reader sees them."""
    with Store(db, readonly=True) as store:
        return [(doc.doc_id, dict(doc)) for doc in store.table(LOG_TABLE).all()]


def record(db: Path) -> dict[str, Any]:
    """What the main file records about the side file."""
    return json.loads(db.read_bytes())["_log"]["1"]


def side(db: Path) -> bytes:
    return events_path(db).read_bytes()


def assert_clean(db: Path) -> None:
    """The side file is exactly what the main file records: no tail, one line per event."""
    content, rec = side(db), record(db)
    assert len(content) == rec["bytes"]
    assert content.count(b"\n") == rec["count"] == len(events(db))


def test_events_live_in_the_side_file_not_the_main_file(db: Path) -> None:
    add_events(db, 1, 2, 3)
    main = json.loads(db.read_bytes())
    assert LOG_TABLE not in main
    assert main["_log"]["1"]["count"] == 3 and main["_log"]["1"]["last_id"] == 3
    assert side(db).splitlines() == [b'[1,{"n":1}]', b'[2,{"n":2}]', b'[3,{"n":3}]']
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2}), (3, {"n": 3})]
    assert_clean(db)


def test_a_database_without_events_has_no_side_file(db: Path) -> None:
    with Store(db) as store, store.transaction() as tx:
        tx.table("users").insert({"name": "ann"})
    assert not events_path(db).exists()
    assert "_log" not in json.loads(db.read_bytes())


def test_the_log_is_append_only(db: Path) -> None:
    add_events(db, 1)
    before = db.read_bytes(), side(db)
    with Store(db) as store:
        for change in (
            lambda t: t.remove(doc_ids=[1]),
            lambda t: t.update({"n": 9}, doc_ids=[1]),
            lambda t: t.truncate(),
        ):
            with pytest.raises(TypeError, match="append-only"), store.transaction() as tx:
                change(tx.table(LOG_TABLE))
    assert (db.read_bytes(), side(db)) == before


KILL_BEFORE_REPLACE = """
import os, signal, sys
from bc_tui.store import Store
store = Store(sys.argv[1])
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = killed  # the side file is appended and fsynced; the main file is not replaced
with store.transaction() as tx:
    tx.table("audit_events").insert({"n": 99})
"""


def test_killed_after_the_side_append_before_the_main_replace(db: Path) -> None:
    add_events(db, 1, 2)
    main_before, side_before = db.read_bytes(), side(db)
    child = subprocess.run(
        [sys.executable, "-c", KILL_BEFORE_REPLACE, str(db)], timeout=60, check=False
    )
    assert child.returncode == -signal.SIGKILL
    assert db.read_bytes() == main_before
    assert side(db).startswith(side_before) and b'"n":99' in side(db)  # an uncommitted tail
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2})]  # not visible
    add_events(db, 3)  # the next commit cuts the tail off and appends cleanly
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2}), (3, {"n": 3})]
    assert b'"n":99' not in side(db)
    assert_clean(db)


def test_a_torn_last_line_is_ignored_then_cut(db: Path) -> None:
    add_events(db, 1)
    with events_path(db).open("ab") as file:
        file.write(b'[2,{"n":')
    assert events(db) == [(1, {"n": 1})]
    add_events(db, 2)
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2})]
    assert_clean(db)


@pytest.mark.parametrize("damage", ["shorter", "missing", "no line end"])
def test_a_side_file_that_cannot_hold_the_record_is_refused(db: Path, damage: str) -> None:
    add_events(db, 1, 2)
    content = side(db)
    if damage == "shorter":
        events_path(db).write_bytes(content[:-5])
    elif damage == "missing":
        events_path(db).unlink()
    else:
        events_path(db).write_bytes(content[:-1] + b"x")
    files = sorted(db.parent.iterdir())
    before = {p: p.read_bytes() for p in files}
    for readonly in (False, True):
        with pytest.raises(EventsCorrupt) as caught:
            Store(db, readonly=readonly)
        text = str(caught.value)
        assert "\n" not in text and str(events_path(db)) in text and "damaged" in text
    assert sorted(db.parent.iterdir()) == files
    assert {p: p.read_bytes() for p in files} == before  # both files untouched


def test_damage_inside_the_committed_part_is_reported_never_rewritten(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_events(db, 1, 2)
    damaged = side(db).replace(b'[1,{"n":1}]', b"[1,{garbage")
    events_path(db).write_bytes(damaged)
    before = db.read_bytes()
    assert cli.main(["db", "check", "--db", str(db)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(events_path(db)) in err
    assert db.read_bytes() == before and side(db) == damaged


def test_another_process_sees_new_events_reading_only_the_tail(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_events(db, 1)
    with Store(db) as reader, Store(db) as writer:
        assert len(reader.table(LOG_TABLE)) == 1
        assert reader.table(LOG_TABLE).get(doc_id=1) == {"n": 1}  # lines now in memory

        def whole_file(*args: Any) -> Any:
            raise AssertionError("the whole side file was read again")

        monkeypatch.setattr(eventlog, "read_committed", whole_file)
        with writer.transaction() as tx:
            tx.table(LOG_TABLE).insert_multiple([{"n": 2}, {"n": 3}])
        assert reader.refresh()
        assert [dict(doc) for doc in reader.table(LOG_TABLE).all()] == [
            {"n": 1},
            {"n": 2},
            {"n": 3},
        ]


def test_schema_1_file_moves_its_events_out_on_the_first_write(db: Path) -> None:
    db.write_bytes(V1_FILE)
    with Store(db, readonly=True) as store:  # migrated in memory only
        assert [dict(d) for d in store.table(LOG_TABLE).all()] == [{"n": 1}, {"n": 2}]
    assert db.read_bytes() == V1_FILE and not events_path(db).exists()
    Store(db).close()
    assert backup_path(db).read_bytes() == V1_FILE
    main = json.loads(db.read_bytes())
    assert main["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert LOG_TABLE not in main and main["users"] == {"1": {"name": "ann"}}
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2})]
    assert_clean(db)
    add_events(db, 3)  # ids go on from the migrated ones
    assert events(db)[-1] == (3, {"n": 3})


def test_schema_1_file_is_untouched_if_the_side_file_cannot_be_written(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.write_bytes(V1_FILE)
    real = os.fsync

    def fail_on_side_file(fd: int) -> None:
        if os.fstat(fd).st_ino == os.stat(events_path(db)).st_ino:
            raise OSError(28, os.strerror(28))
        real(fd)

    monkeypatch.setattr(os, "fsync", fail_on_side_file)
    with pytest.raises(DatabaseWriteFailed):
        Store(db)
    monkeypatch.undo()
    assert db.read_bytes() == V1_FILE
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2})]  # the tail written is ignored


def test_restore_pairs_the_backup_with_the_committed_events(db: Path) -> None:
    add_events(db, 1, 2)
    add_events(db, 3)  # this open backed up the file holding events 1-2
    restore_backup(db)
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2})]  # event 3 is past the backup's record
    add_events(db, 4)
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2}), (3, {"n": 4})]
    assert_clean(db)


def test_the_file_a_restore_displaced_still_opens_with_its_events(db: Path) -> None:
    """Restoring destroys nothing: the displaced file keeps the events it committed beside
    it, though the restored database's next commit truncates the shared side file."""
    add_events(db, 1, 2)
    add_events(db, 3)  # this open backed up the file holding events 1-2
    displaced = restore_backup(db)
    assert displaced is not None
    add_events(db, 4)  # truncates event 3 from the restored database's side file
    assert events(displaced) == [(1, {"n": 1}), (2, {"n": 2}), (3, {"n": 3})]
    assert events(db) == [(1, {"n": 1}), (2, {"n": 2}), (3, {"n": 4})]
    add_events(displaced, 5)  # a database of its own
    assert events(displaced)[-1] == (4, {"n": 5})
    assert events(db)[-1] == (3, {"n": 4})


def test_restore_keeps_the_whole_side_file_beside_a_damaged_current_file(db: Path) -> None:
    add_events(db, 1)
    add_events(db, 2)
    side = events_path(db).read_bytes()
    db.write_bytes(b"\x00 torn")
    displaced = restore_backup(db)
    assert displaced is not None and displaced.read_bytes() == b"\x00 torn"
    assert events_path(displaced).read_bytes() == side


def test_restore_refuses_when_the_side_file_lost_the_backups_events(db: Path) -> None:
    add_events(db, 1, 2)
    Store(db).close()  # backup records events 1-2
    events_path(db).write_bytes(b"")
    before = db.read_bytes()
    with pytest.raises(EventsCorrupt):
        restore_backup(db)
    assert db.read_bytes() == before


def test_columns_read_from_the_raw_lines_agree_with_the_documents(db: Path) -> None:
    """`EventLog.columns` finds fields in the encoded lines without decoding them: it must
    give what decoding gives for every kind of value, for pending lines and from a position
    on; `mark` tells a reader when only lines were added since."""
    docs: list[dict[str, Any]] = [
        {"k": "plain", "n": 1},
        {"k": 'with "quotes" and \\ back', "n": 2},  # escaped in the line: decoded instead
        {"k": None, "n": 3},
        {"n": 4},  # no such field
        {"k": "ünïcode ✓", "n": 5, "x": '"k":"decoy"'},  # a decoy inside another value
    ]
    expected = [doc.get("k") for doc in docs]
    with Store(db) as store:
        with store.transaction() as tx:
            tx.table(LOG_TABLE).insert_multiple(docs)

        def log() -> Any:
            return store.storage.read()[LOG_TABLE]

        epoch, count = log().mark()
        assert count == 5
        assert log().columns("k", "n") == [expected, [1, 2, 3, 4, 5]]
        assert log().columns("k", start=3) == [expected[3:]]
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.table(LOG_TABLE).insert({"k": "rolled back"})
            assert log().columns("k", start=5) == [["rolled back"]]  # pending lines count
            raise RuntimeError
        assert log().columns("k") == [expected] and log().mark() == (epoch, 5)
        with Store(db) as other, other.transaction() as tx:
            tx.table(LOG_TABLE).insert({"k": "theirs"})
        assert store.refresh()
        assert log().mark() == (epoch, 6)
        assert log().columns("k", start=5) == [["theirs"]]


def test_lines_block_and_tail_read_as_one_sequence() -> None:
    """The committed lines are kept as one block plus the lines added after it: slicing,
    scanning for a field and searching must treat both parts as one list of lines, with no
    match reported in the wrong line."""
    block = b'[1,{"k":"Alpha"}]\n[2,{"k":"beta"}]\n[3,{"k":"Stra\xc3\x9fe"}]\n'
    lines = eventlog.split_lines(block, Path("x"), len(block), 3)
    lines.extend([b'[4,{"k":"ALPHABET"}]', b'[5,{"k":"gamma"}]'])
    assert len(lines) == 5 and list(lines) == [lines[n] for n in range(5)]
    assert lines[0] == b'[1,{"k":"Alpha"}]' and lines[2].endswith(b'e"}]') and lines[-1][1] == 53
    for outside in (5, -6):
        with pytest.raises(IndexError):
            lines[outside]
    field = re.compile(rb'"k":"([^"\\]*)"')
    assert lines.findall(field) == [b"Alpha", b"beta", "Straße".encode(), b"ALPHABET", b"gamma"]
    assert lines.findall(field, start=2) == ["Straße".encode(), b"ALPHABET", b"gamma"]
    assert lines.findall(field, start=4) == [b"gamma"]
    # Case-insensitive for ASCII; every non-ASCII line kept (ß may fold to "ss").
    assert lines.containing(b"alpha") == {0, 2, 3}
    copy = lines.copy()
    copy.extend([b'[6,{"k":"alpha"}]'])
    assert len(lines) == 5 and copy.containing(b"alpha") == {0, 2, 3, 5}
    with pytest.raises(EventsCorrupt, match="records 4"):
        eventlog.split_lines(block, Path("x"), len(block), 4)
