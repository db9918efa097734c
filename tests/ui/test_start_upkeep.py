"""The app opens its file without the lock (`Store(upkeep_later=True)`, as `bc-tui` does) and
backs it up once its first frame is up, or as soon as another process lets go of the lock."""

from __future__ import annotations

from pathlib import Path

import filelock

from bc_tui.app import BusinessCenterApp
from bc_tui.clock import FakeClock
from bc_tui.ids import SeededIds
from bc_tui.services import Services
from bc_tui.store.database import Store
from bc_tui.store.errors import backup_path, lock_path
from tests.apps import demo_services


def _opened_later(folder: Path, watch_interval: float = 0) -> tuple[BusinessCenterApp, bytes]:
    demo_services(folder).store.close()
    db = folder / "bc.json"
    backup_path(db).unlink(missing_ok=True)
    services = Services(Store(db, upkeep_later=True), FakeClock(), SeededIds(11))
    actor = services.views.default_actor()
    assert actor is not None
    app = BusinessCenterApp(services, actor, watch_interval=watch_interval)
    return app, db.read_bytes()


async def test_the_backup_is_made_once_the_first_frame_is_up(tmp_path: Path) -> None:
    app, opened = _opened_later(tmp_path)
    assert not backup_path(tmp_path / "bc.json").exists()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert backup_path(tmp_path / "bc.json").read_bytes() == opened


async def test_a_lock_held_elsewhere_puts_the_backup_off_until_it_is_let_go(
    tmp_path: Path,
) -> None:
    app, opened = _opened_later(tmp_path, watch_interval=0.05)
    backup = backup_path(tmp_path / "bc.json")
    other = filelock.FileLock(str(lock_path(tmp_path / "bc.json")))
    async with app.run_test(size=(120, 36)) as pilot:
        with other:
            await pilot.pause(0.2)
            assert not backup.exists()  # (and the app did not wait for it: it is up)
        for _ in range(100):  # the next look at the file does it (bounded: 5 s)
            await pilot.pause(0.05)
            if backup.exists():
                break
        assert backup.read_bytes() == opened
