"""Shared fixtures: a fresh database in tmp_path, a frozen clock and seeded ids.

Nothing here touches the user's real database: every test gets its own file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import textual.constants
from textual._styles_cache import StylesCache

from bc_tui.clock import FakeClock
from bc_tui.ids import SeededIds
from bc_tui.services import Actor, Services
from bc_tui.services.seed import demo_fixture, load_demo
from bc_tui.store.database import Store

_FIXTURE = demo_fixture()
_USERS = {
    user["user_name"].split()[0].split(".")[0].lower(): user["user_id"]
    for user in _FIXTURE["users"]
}
NORTHWIND = _FIXTURE["demo_bc_id"]
LABS = next(bc["bc_id"] for bc in _FIXTURE["business_centers"] if bc["bc_id"] != NORTHWIND)


def as_user(name: str, bc_id: str = NORTHWIND) -> Actor:
    """The demo person by first name (ava, marcus, priya, tom, lena, diego, sam)."""
    return Actor(user_id=_USERS[name], bc_id=bc_id)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """platformdirs and BC_TUI_DB point into a temp folder: the real database is never touched."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("BC_TUI_DB", raising=False)


@pytest.fixture(autouse=True)
def _no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps made in tests do not animate (as with TEXTUAL_ANIMATIONS=none): Pilot waits for
    every animation to end, and each switch of Billing's tabs waited ~0.3 s for its
    underline to glide there. What is drawn once they end is the same."""
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _forget_dead_widgets() -> Iterator[None]:
    """Let the widgets of a finished test's app be freed.

    Textual caches `StylesCache.get_inner_outer` per instance in a class-wide LRU of 1,024,
    which keeps the styles caches of the last thousand widgets alive, each with its rendered
    lines: ~280,000 objects in a test process after a dozen apps. Every full collection then
    walked them all (~200 ms each, a fifth of a snapshot test's CPU). A real app builds its
    widgets once, so it only pays this bounded cost in memory.
    """
    yield
    StylesCache.get_inner_outer.cache_clear()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bc.json"


@pytest.fixture
def services(db_path: Path, clock: FakeClock) -> Services:
    return Services(Store(db_path), clock, SeededIds(7))


@pytest.fixture
def demo(services: Services, clock: FakeClock) -> Services:
    """Services over a database holding the demo fixture."""
    load_demo(services.repo, clock)
    return services
