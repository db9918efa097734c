"""Shared fixtures: a fresh database in tmp_path, a frozen clock and seeded ids.

Nothing here touches the user's real database: every test gets its own file.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual.constants
from textual._styles_cache import StylesCache
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

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


#: The collector's own freeze and unfreeze; the harness makes the app's calls to them no-ops.
_FREEZE, _UNFREEZE = gc.freeze, gc.unfreeze


@pytest.fixture(autouse=True, scope="session")
def _one_collector_policy_for_many_apps() -> Iterator[None]:
    """The harness, not each app, decides when the collector runs in a test process.

    The app's policy is made for one app in a process: it freezes the heap when it has read
    its file and at its first frame, and unfreezes it all when it ends (`ServicesApp`,
    `store.storage.parse`). A test process runs hundreds of apps in turn, so each app's end
    handed back to full collections everything that lives as long as the process (Textual,
    hypothesis, the test modules), and every full collection walked it again: a quarter of
    the suite's CPU was the collector. Here what is alive once collection is done is frozen
    once, the app's freeze and unfreeze do nothing, and each test's garbage goes when it
    ends (`_let_each_tests_garbage_go`). `real_collector` gives a test the real ones. The
    youngest generation is collected a tenth as often: a test's app makes its objects in
    bursts, and most of them live until the test ends (~8 s less of the suite's CPU).
    """
    gc.collect()
    _FREEZE()
    threshold = gc.get_threshold()
    gc.set_threshold(10 * threshold[0], *threshold[1:])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gc, "freeze", lambda: None)
        patch.setattr(gc, "unfreeze", lambda: None)
        yield
    gc.set_threshold(*threshold)


@pytest.fixture
def real_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector's own freeze and unfreeze, for the tests of the app's policy."""
    monkeypatch.setattr(gc, "freeze", _FREEZE)
    monkeypatch.setattr(gc, "unfreeze", _UNFREEZE)


@pytest.fixture(autouse=True)
def _let_each_tests_garbage_go() -> Iterator[None]:
    """After a test, free its app's widgets and everything else it left, then freeze what
    survives (caches that live as long as the process), so later full collections walk only
    what later tests make.

    Textual caches `StylesCache.get_inner_outer` per instance in a class-wide LRU of 1,024,
    which keeps the styles caches of the last thousand widgets alive, each with its rendered
    lines: ~280,000 objects in a test process after a dozen apps. Every full collection then
    walked them all (~200 ms each, a fifth of a snapshot test's CPU). A real app builds its
    widgets once, so it only pays this bounded cost in memory.
    """
    yield
    StylesCache.get_inner_outer.cache_clear()
    gc.collect()
    _FREEZE()


@pytest.fixture(autouse=True, scope="session")
def _css_parsed_once() -> Iterator[None]:
    """Every app a test process starts shares one cache of parsed CSS.

    Textual parses each stylesheet source (our .tcss files, every widget's DEFAULT_CSS) once
    per app, ~25 ms of CPU for each of the ~500 apps the suite starts. Parsing is a pure
    function of the text, where it came from and the theme's variables, and its rules are
    only read afterwards (the stylesheet keys them by identity), so a rule set parsed for one
    app serves the next as it serves every screen of its own app. A real app parses once.
    """
    parsed: dict[tuple[object, ...], list[RuleSet]] = {}
    parse_rules = Stylesheet._parse_rules

    def cached(
        self: Stylesheet,
        css: str,
        read_from: tuple[str, str],
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        variables = tuple(self._variables.items())
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse_rules(
                self, css, read_from, is_default_rules, tie_breaker, scope
            )
        return rules

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", cached)
        yield


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
