"""The command line: starting the app parses without the commands' parsers; commands and
help still get the whole one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bc_tui.cli import _parse
from bc_tui.store.database import Store


def test_the_apps_own_options_name_no_command() -> None:
    args = _parse(["--db", "x.json", "--user", "ava@example.com", "--qr-ttl", "60"])
    assert args.command is None
    assert (args.db, args.user, args.qr_ttl) == (Path("x.json"), "ava@example.com", 60)


def test_a_command_before_or_after_the_options_is_parsed_whole() -> None:
    assert _parse(["seed", "--db", "x.json", "--accounts", "5"]).accounts == 5
    args = _parse(["--db", "x.json", "db", "check"])
    assert (args.command, args.db_command, args.db) == ("db", "check", Path("x.json"))


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        _parse(["--db", "x.json", "-h"])
    assert ended.value.code == 0
    assert "seed" in capsys.readouterr().out


def test_a_bad_value_or_command_is_refused_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, said in ((["--qr-ttl", "3"], "--qr-ttl"), (["bogus"], "invalid choice")):
        with pytest.raises(SystemExit) as ended:
            _parse(argv)
        assert ended.value.code == 2
        assert said in capsys.readouterr().err


def test_starting_the_app_imports_nothing_its_first_frame_does_not_need(tmp_path: Path) -> None:
    """Each is ~2-8 ms of start-up: the ssh command's parser (and the options it imports),
    `secrets` (it loads OpenSSL), filelock (the lock is taken after the first frame, see
    `Store(upkeep_later=True)`), Textual's DataTable (a table takes only its styles), tinydb
    (the first frame reads the document without a TinyDB table), zoneinfo. They are imported
    when used, if ever."""
    db = tmp_path / "bc.json"
    Store(db).close()
    code = (
        "import sys; from bc_tui.cli import _parse; from bc_tui.store.database import Store; "
        f"_parse(['--db', 'x.json']); Store({str(db)!r}, upkeep_later=True); "
        "import bc_tui.app, bc_tui.screens.tiktok_accounts; "
        "print(sorted({'bc_tui.ssh', 'secrets', '_hashlib', 'filelock', 'tinydb', 'zoneinfo', "
        "'textual.widgets._data_table'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
