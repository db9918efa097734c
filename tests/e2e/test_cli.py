"""The `bc-tui` command as a real process: seed, export, init, and failures that stay polite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 60


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bc_tui", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_seed_then_export_has_every_part(tmp_path: Path) -> None:
    db = tmp_path / "big.json"
    seeded = run("seed", "--db", str(db), "--accounts", "50", "--members", "8", "--seed", "4")
    assert seeded.returncode == 0, seeded.stderr
    exported = run("export", "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    state = json.loads(exported.stdout)
    assert state["format"] == "bc-tui-export"
    [center] = state["business_centers"]
    assert len(center["tiktok_accounts"]) == 50
    assert len(center["members"]) == 8
    account = center["tiktok_accounts"][0]
    assert {"handle", "relation_type", "relation_status", "scopes"} <= account.keys()
    for part in ("assignments", "ad_accounts", "audit_events", "payment_methods", "invoices"):
        assert part in center


def test_same_seed_same_database(tmp_path: Path) -> None:
    for name in ("a.json", "b.json"):
        assert (
            run("seed", "--db", str(tmp_path / name), "--accounts", "20", "--seed", "9").returncode
            == 0
        )
    first = json.loads(run("export", "--db", str(tmp_path / "a.json")).stdout)
    second = json.loads(run("export", "--db", str(tmp_path / "b.json")).stdout)
    for state in (first, second):
        state.pop("exported_at")
        for center in state["business_centers"]:
            for event in center["audit_events"]:
                event.pop("time")
            for account in center["tiktok_accounts"]:
                account.pop("updated_at")
    assert first == second


def test_export_of_the_demo_names_the_demo_center(tmp_path: Path) -> None:
    from bc_tui.clock import SystemClock
    from bc_tui.services.seed import load_demo
    from bc_tui.store.database import Store
    from bc_tui.store.repository import Repository

    db = tmp_path / "demo.json"
    load_demo(Repository(Store(db)), SystemClock())
    state = json.loads(run("export", "--db", str(db)).stdout)
    names = {center["name"] for center in state["business_centers"]}
    assert names == {"Northwind Media", "Northwind Labs"}
    media = next(c for c in state["business_centers"] if c["name"] == "Northwind Media")
    coffee = next(a for a in media["tiktok_accounts"] if a["handle"] == "northwind.coffee")
    assert (coffee["relation_type"], coffee["relation_status"], coffee["scopes"]) == (
        "OWNER_BC",
        "BOUND",
        ["POST", "LIVE"],
    )


def test_init_creates_a_center_and_refuses_bad_input(tmp_path: Path) -> None:
    db = str(tmp_path / "new.json")
    made = run(
        "init",
        "--db",
        db,
        "--name",
        "Acme Ads",
        "--company",
        "Acme",
        "--email",
        "jo@acme.com",
        "--user-name",
        "Jo",
    )
    assert made.returncode == 0, made.stderr
    assert "Created Acme Ads" in made.stdout
    bad = run(
        "init",
        "--db",
        db,
        "--name",
        "X",
        "--company",
        "Acme",
        "--email",
        "nope",
        "--user-name",
        "Jo",
    )
    assert_one_line_error(bad)
    assert "email" in bad.stderr
    again = run(  # (run twice, it made a second Acme Ads for Jo, silently)
        "init", "--db", db, "--name", "acme ads", "--company", "Acme", "--email", "jo@acme.com",
        "--user-name", "Jo",
    )  # fmt: skip
    assert_one_line_error(again)
    assert "already has a Business Center named Acme Ads" in again.stderr


def test_seeding_a_database_that_has_data_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "x.json")
    assert run("seed", "--db", db, "--accounts", "3").returncode == 0
    again = run("seed", "--db", db, "--accounts", "3")
    assert_one_line_error(again)
    assert "already holds data" in again.stderr


@pytest.mark.parametrize(
    "content",
    [
        b'{"_meta": {"1": {"schema_version": 1}}, "users": {',
        b"",
        b"[1, 2]",
        b'{"_meta": {"1": {"schema_version": 999}}}',
    ],
    ids=["truncated", "empty", "wrong-shape", "future-version"],
)
@pytest.mark.parametrize("command", [[], ["export"]], ids=["app", "export"])
def test_a_bad_file_is_refused_in_one_line_and_left_untouched(
    tmp_path: Path, content: bytes, command: list[str]
) -> None:
    db = tmp_path / "bad.json"
    db.write_bytes(content)
    result = run(*command, "--db", str(db))
    assert_one_line_error(result)
    assert str(db) in result.stderr or db.name in result.stderr
    assert db.read_bytes() == content


def test_an_empty_database_explains_how_to_start(tmp_path: Path) -> None:
    """An empty database says how to begin; a missing one too, and is not made (it was made,
    with its lock file, and then refused for having no Business Center)."""
    fresh = tmp_path / "fresh.json"
    missing = run("--db", str(fresh))
    assert_one_line_error(missing)
    assert "does not exist yet" in missing.stderr
    assert f"bc-tui --db {fresh} --demo" in missing.stderr  # (init alone: the default file)
    assert f"bc-tui --db {fresh} init --name" in missing.stderr
    phone = run("--db", str(fresh), "phone")
    assert_one_line_error(phone)
    assert f"bc-tui --db {fresh} phone --account" in phone.stderr
    web = run("--db", str(fresh), "web")
    assert_one_line_error(web)
    assert f"bc-tui --db {fresh} web --demo" in web.stderr
    ssh = run("--db", str(fresh), "ssh")
    assert_one_line_error(ssh)
    assert ssh.returncode == 2 and f"bc-tui --db {fresh} ssh --demo" in ssh.stderr
    assert list(tmp_path.iterdir()) == []
    # Other trouble with the path is the opening's to explain, in one line too.
    long_name = run("--db", str(tmp_path / ("a" * 300 + ".json")))
    assert_one_line_error(long_name)
    assert "File name too long" in long_name.stderr
    (tmp_path / "file").write_text("")
    under_a_file = run("--db", str(tmp_path / "file" / "x.json"))
    assert_one_line_error(under_a_file)
    assert "part of its folder path is a file" in under_a_file.stderr
    empty = run("--db", str(fresh), "export")
    assert_one_line_error(empty)
    assert f"bc-tui --db {fresh} init" in empty.stderr
    from bc_tui.store.database import Store

    with Store(fresh):  # (an empty database: what opening a new file makes)
        pass
    result = run("--db", str(fresh))
    assert_one_line_error(result)
    assert "has no Business Center yet" in result.stderr
    assert f"bc-tui --db {fresh} --demo" in result.stderr


def test_bad_arguments_are_one_line(tmp_path: Path) -> None:
    assert_one_line_error(run("seed", "--db", str(tmp_path / "x.json"), "--accounts", "lots"))
    assert_one_line_error(run("--no-such-flag"))


def test_bc_tui_db_environment_variable_picks_the_file(tmp_path: Path) -> None:
    db = tmp_path / "env.json"
    assert run("seed", "--db", str(db), "--accounts", "2").returncode == 0
    exported = run("export", env={"BC_TUI_DB": str(db)})
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(exported.stdout)["business_centers"]) == 1


def test_qr_ttl_is_checked(tmp_path: Path) -> None:
    bad = run("--db", str(tmp_path / "x.json"), "--qr-ttl", "2")
    assert_one_line_error(bad)
    assert "out of range" in bad.stderr


def test_db_before_the_command_is_the_file_it_works_on(tmp_path: Path) -> None:
    """`bc-tui --db X phone` (or export, db check, ...) used to drop the --db given before
    the command and work on the default file: BC_TUI_DB points elsewhere here to show it."""
    db = tmp_path / "mine.json"
    elsewhere = {"BC_TUI_DB": str(tmp_path / "not-this.json")}
    assert run("--db", str(db), "seed", "--accounts", "3", env=elsewhere).returncode == 0
    exported = run("--db", str(db), "export", env=elsewhere)
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(exported.stdout)["business_centers"]) == 1
    checked = run("--db", str(db), "db", "check", env=elsewhere)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"{db} is sound")
    assert not (tmp_path / "not-this.json").exists()


def test_seed_needs_a_file_named(tmp_path: Path) -> None:
    result = run("seed", "--accounts", "3", env={"BC_TUI_DB": str(tmp_path / "x.json")})
    assert_one_line_error(result)
    assert "--db" in result.stderr
