"""Build a BusinessCenterApp over the demo fixture in a temp folder, frozen in time."""

from __future__ import annotations

from pathlib import Path

from bc_tui.app import BusinessCenterApp
from bc_tui.clock import FakeClock
from bc_tui.ids import SeededIds
from bc_tui.services import Actor, Services
from bc_tui.services.seed import load_demo
from bc_tui.store.database import Store


def demo_app(folder: Path, actor: Actor | None = None) -> BusinessCenterApp:
    """The demo as `actor` (default: Ava Chen, Admin of Northwind Media), no file watching."""
    clock = FakeClock()
    services = Services(Store(folder / "bc.json"), clock, SeededIds(11))
    seeded = load_demo(services.repo, clock)
    return BusinessCenterApp(
        services, actor or Actor(seeded.user_id, seeded.bc_id), watch_interval=0
    )
