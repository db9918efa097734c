"""Bad database files through the `bc-tui` command: one line, non-zero exit, file untouched.

Every command that opens a database (the app, `export`, `init`, `db check`, `db restore`) is
run in-process through `cli.main`, so a refusal is seen exactly as a person would see it (one
line on stderr, no traceback) without paying an interpreter start-up per case; one real
process at the end proves the entry point. The store's own unit tests
(tests/unit/test_store.py) cover the same files at the Store level; this is the user's view.

Unreadable and unwritable files are simulated (the tests may run as root, whom chmod does not
stop), and so is a full disk: writes of the database's files fail with ENOSPC.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bc_tui import cli
from bc_tui.domain.models import AuditEvent, Member
from bc_tui.services.integrity import check_integrity
from bc_tui.store import Store, backup_path, copy_database
from bc_tui.store.records import TABLES

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="simulates via /proc/self/fd")

GOOD = b'{"_meta":{"1":{"schema_version":1}}}'

BAD_CONTENT: dict[str, bytes] = {
    "truncated JSON": b'{"_meta":{"1":{"schema_version":1}},"users":{"1":{"user_id":"1',
    "valid JSON, wrong shape (array)": b"[1, 2, 3]",
    "valid JSON, wrong shape (table)": b'{"_meta":{"1":{"schema_version":1}},"users":[1]}',
    "future schema version": b'{"_meta":{"1":{"schema_version":99}}}',
    "empty file": b"",
}

COMMANDS: dict[str, list[str]] = {
    "app": [],
    "export": ["export"],
    "init": ["init", "--name", "N", "--company", "C", "--email", "a@b.co", "--user-name", "A"],
    "db check": ["db", "check"],
    "db restore": ["db", "restore"],
}
WRITING = ("app", "init")


def run(capsys: pytest.CaptureFixture[str], command: str, db: Path) -> tuple[int, str, str]:
    code = cli.main([*COMMANDS[command], "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused_in_one_line(code: int, out: str, err: str, *words: str) -> None:
    assert code != 0
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bc-tui: ") and "Traceback" not in err
    for word in words:
        assert word in lines[0], (word, lines[0])


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of the folder but the lock file: content for files, None for folders."""
    return {
        p.name: (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.iterdir())
        if not p.name.endswith(".lock")
    }


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(BAD_CONTENT))
def test_a_bad_file_is_refused_in_one_line_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, command: str
) -> None:
    db = tmp_path / "bc.json"
    db.write_bytes(BAD_CONTENT[case])
    before = snapshot(tmp_path)
    code, out, err = run(capsys, command, db)
    assert_refused_in_one_line(code, out, err, str(db))
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_folder_where_the_file_should_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    db = tmp_path / "bc.json"
    db.mkdir()
    (db / "keep.txt").write_text("mine")
    code, out, err = run(capsys, command, db)
    assert_refused_in_one_line(code, out, err, str(db))
    assert "folder" in err or "backup" in err
    assert [p.name for p in db.iterdir()] == ["keep.txt"]
    assert (db / "keep.txt").read_text() == "mine"


def deny(
    monkeypatch: pytest.MonkeyPatch, name: str, path: Path, fails: Callable[..., bool]
) -> None:
    """Make `os.<name>` fail with EACCES for `path` when `fails(*args)` says so."""
    real = getattr(os, name)

    def patched(target: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(target) == str(path) and fails(*args):
            if name == "access":
                return False
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(target, *args, **kwargs)

    monkeypatch.setattr(os, name, patched)


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("denied", ["read", "write"])
def test_no_permission(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    denied: str,
) -> None:
    """Unreadable: every command refuses. Unwritable: the commands that write refuse, the
    read-only ones (export, check) still work."""
    db = tmp_path / "bc.json"
    db.write_bytes(GOOD)
    if denied == "read":
        backup_path(db).write_bytes(GOOD)  # so restore gets as far as reading the database
        deny(monkeypatch, "open", db, lambda *args: True)
    else:
        deny(monkeypatch, "access", db, lambda mode, *rest: bool(mode & os.W_OK))
    before = snapshot(tmp_path)
    code, out, err = run(capsys, command, db)
    monkeypatch.undo()
    if denied == "read":
        assert_refused_in_one_line(code, out, err, str(db), "permission denied")
    elif command in WRITING:
        assert_refused_in_one_line(code, out, err, str(db), "read-only")
    elif command == "db restore":
        assert_refused_in_one_line(code, out, err, "no automatic backup")
    else:
        assert code == 0, err
    assert snapshot(tmp_path) == before


def fill_the_disk(monkeypatch: pytest.MonkeyPatch, folder: Path, *, spare: str = "") -> None:
    """Every os.write to a file in `folder` fails with ENOSPC, except to temp files of `spare`
    (so a test can let the backup through and fail the commit)."""
    real = os.write

    def full(fd: int, data: Any) -> int:
        target = os.readlink(f"/proc/self/fd/{fd}")
        if target.startswith(str(folder)) and not (spare and f"/.{spare}." in target):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", full)


@pytest.mark.parametrize("command", WRITING)
def test_a_full_disk(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """The backup written on opening cannot be saved: refused before anything changes."""
    db = tmp_path / "bc.json"
    db.write_bytes(GOOD)
    before = snapshot(tmp_path)
    fill_the_disk(monkeypatch, tmp_path)
    code, out, err = run(capsys, command, db)
    monkeypatch.undo()
    assert_refused_in_one_line(code, out, err, "Free some disk space")
    assert snapshot(tmp_path) == before


def test_a_disk_that_fills_up_during_a_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup gets written, the change does not: the database is as it was."""
    db = tmp_path / "bc.json"
    db.write_bytes(GOOD)
    fill_the_disk(monkeypatch, tmp_path, spare=backup_path(db).name)
    code, out, err = run(capsys, "init", db)
    monkeypatch.undo()
    assert_refused_in_one_line(code, out, err, "was not saved", "Free some disk space")
    assert db.read_bytes() == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.json", "bc.json.bak", "bc.json.lock"]


# -- bc-tui db check and db restore -------------------------------------------------------------


@pytest.fixture
def demo_db(tmp_path: Path, demo_file: Path) -> Path:
    db = tmp_path / "bc.json"
    copy_database(demo_file, db)
    return db


def test_check_says_a_sound_database_is_sound(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(demo_db.parent)
    code, out, err = run(capsys, "db check", demo_db)
    assert (code, err) == (0, "")
    assert out.splitlines() == [out.strip()] and "is sound" in out
    assert snapshot(demo_db.parent) == before  # read only: not even a backup


def break_references(db: Path) -> None:
    """Three problems: a member whose user is gone, an assignment whose member is gone, and
    one audit event stored twice."""
    with Store(db) as store:
        data = store.storage.read()
        users = data[TABLES[Member]]
        ids = {doc["user_id"] for doc in users.values()}
        target = "6958103847201930006"  # Lena: one membership, one assignment
        assert target in ids
        with store.transaction() as tx:
            tx.table("users").remove(lambda doc: doc["user_id"] == target)
            events = tx.table(TABLES[AuditEvent])
            events.insert(dict(events.all()[0]))


def test_check_lists_every_problem_one_line_each(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_references(demo_db)
    before = demo_db.read_bytes()
    code, out, err = run(capsys, "db check", demo_db)
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert all(line.startswith(f"{demo_db}: ") for line in lines)
    assert sum("refers to a missing User" in line for line in lines) == 1
    assert sum("audit_events: 2 documents share event_id=" in line for line in lines) == 1
    assert len(lines) == 2, out
    assert demo_db.read_bytes() == before


def test_check_follows_the_ad_accounts_an_invoice_billed(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invoice records the ad accounts it billed (advertiser_ids): each must exist."""
    with Store(demo_db) as store, store.transaction() as tx:
        tx.table("invoices").update({"advertiser_ids": ["999"]}, lambda doc: doc["paid"])
    code, out, _ = run(capsys, "db check", demo_db)
    assert code == 1
    assert "invoices #1: refers to a missing AdAccount (advertiser_id='999')" in out, out


def test_restore_brings_back_the_last_good_backup(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening takes a backup; after the file is torn, check fails, restore puts the backup
    back, and check passes on what was there."""
    Store(demo_db).close()  # a successful open: the backup is this version
    good = demo_db.read_bytes()
    demo_db.write_bytes(good[: len(good) // 2])
    code, out, err = run(capsys, "db check", demo_db)
    assert_refused_in_one_line(code, out, err, "bc-tui db restore")
    assert run(capsys, "db restore", demo_db)[0] == 0
    assert demo_db.read_bytes() == good
    assert run(capsys, "db check", demo_db)[0] == 0
    with Store(demo_db, readonly=True) as store:
        assert check_integrity(store) == []


def test_db_check_as_a_real_command(demo_db: Path) -> None:
    """The entry point: exit status and output of a real `bc-tui db check` process."""
    break_references(demo_db)
    result = subprocess.run(
        [sys.executable, "-m", "bc_tui", "db", "check", "--db", str(demo_db)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1, result.stderr
    assert len(result.stdout.splitlines()) == 2 and result.stderr == ""
