"""The app's garbage-collection policy: what was alive at first paint is frozen and full
collections wait for the app's timer while it runs; the process gets the collector back as
it was when the app ends (a test process or the ssh server runs many apps in turn).

The harness keeps the app's hands off the collector (`tests/conftest.py`); these tests give
it back (`real_collector`)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bc_tui import cli, shell
from tests.apps import demo_app

pytestmark = pytest.mark.usefixtures("real_collector")


async def test_first_paint_freezes_the_heap_and_exit_gives_the_collector_back(
    tmp_path: Path,
) -> None:
    gc.unfreeze()  # what opening earlier tests' databases froze
    before = gc.get_threshold()
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] > 10**6  # no automatic full collection
        shell._collect()  # what the timer runs: a full pass over what is not frozen
        assert gc.get_count()[2] == 0
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


async def test_first_paint_turns_the_collector_on_that_the_cli_turned_off_to_start(
    tmp_path: Path,
) -> None:
    app = demo_app(tmp_path)
    gc.disable()  # as `cli._run_app` does before opening the database
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


def test_a_start_that_fails_before_the_app_gives_the_collector_back(tmp_path: Path) -> None:
    """`main` is also called in-process (tests, scripts): a database it refuses must not
    leave the process without its collector."""
    bad = tmp_path / "bc.json"
    bad.write_bytes(b"[1]")
    assert gc.isenabled()
    assert cli.main(["--db", str(bad)]) == 1
    assert gc.isenabled()
