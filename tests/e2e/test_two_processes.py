"""Two real processes on one database: the admin's app and the owner's phone."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from bc_tui.domain.models import AssetLink, RelationStatus
from bc_tui.screens.qr_dialog import QrDialog
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from bc_tui.widgets.table import VirtualTable
from tests.apps import Typed, demo_app, play
from tests.conftest import NORTHWIND

PHONE_SIDE = """
import sys
from bc_tui.clock import FakeClock
from bc_tui.ids import SeededIds
from bc_tui.services import Services
from bc_tui.store.database import Store

services = Services(Store(sys.argv[1]), FakeClock(), SeededIds(5))
print(services.linking.approve(sys.argv[2], sys.argv[3]).status.value, flush=True)
"""


async def test_an_approval_in_another_process_shows_within_two_seconds(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    app._watch_interval = 0.1
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("solstice.skin"), "enter", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QrDialog)
        token = app.screen.request.token
        phone = subprocess.Popen(
            [sys.executable, "-c", PHONE_SIDE, str(tmp_path / "bc.json"), token, "solstice.skin"],
            stdout=subprocess.PIPE,
            text=True,
        )
        # Meanwhile the admin changes something else: neither write may be lost.
        app.services.center.remove_tiktok_account(app.actor, "vantage.gaming")
        out, _ = phone.communicate(timeout=30)
        assert out.strip() == "APPROVED"
        started = time.monotonic()
        while time.monotonic() - started < 2.0 and not isinstance(app.screen, TikTokAccountsScreen):
            await pilot.pause(0.05)
        assert isinstance(app.screen, TikTokAccountsScreen), "no update within 2 s"
        table = app.screen.query_one("#accounts", VirtualTable)
        assert str(table.cells_of("solstice.skin")[1]) == "Active"
        repo = app.services.repo
        assert repo.first(AssetLink, bc_id=NORTHWIND, asset_id="vantage.gaming") is None
        link = repo.first(AssetLink, bc_id=NORTHWIND, asset_id="solstice.skin")
        assert link.relation_status is RelationStatus.BOUND


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_bc_tui_phone_runs_in_a_terminal_and_quits(tmp_path: Path) -> None:
    from bc_tui.clock import SystemClock
    from bc_tui.services.seed import load_demo
    from bc_tui.store.database import Store
    from bc_tui.store.repository import Repository

    db = tmp_path / "demo.json"
    load_demo(Repository(Store(db)), SystemClock())
    parent, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bc_tui", "phone", "--db", str(db), "--account", "@jess.outdoors"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    try:
        screen = _read_until(parent, b"jess.outdoors", timeout=30)
        assert b"jess.outdoors" in screen
        os.write(parent, b"q")
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        os.close(parent)


def test_the_app_ends_when_its_terminal_goes_away(tmp_path: Path) -> None:
    """A terminal closed under an app that is not sent SIGHUP (here it has no controlling
    terminal; under `make demo` make is sent it, not the app): the app ends by itself
    instead of spinning on end-of-file forever."""
    parent, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bc_tui", "--demo", "--db", str(tmp_path / "demo.json")],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,  # and no controlling terminal: no SIGHUP can come
    )
    os.close(child)
    try:
        try:
            assert b"Northwind" in _read_until(parent, b"Northwind", timeout=30)
        finally:
            os.close(parent)  # the terminal goes away
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
