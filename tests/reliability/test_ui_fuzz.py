"""UI fuzz: random keys from the app's own key set, across every screen and dialog.

The keys are read from the bindings (the app's, every screen's and dialog's, the widgets'),
plus moving and typing keys, so a new screen's keys are fuzzed without touching this file.
Quitting keys are left out; if a random walk still ends the app (the command palette's Quit),
a new app opens on the same database and the walk goes on. After the walk: no unhandled
exception, nothing logged as unexpected, and the database passes the integrity check, both in
memory and read back from the file.

`make test` presses the issue's 2,000 keys: 500 per seed (BC_TUI_FUZZ_KEYS) over the four
SEEDS, which xdist runs side by side. A key costs 10-25 ms of CPU here, so the walks are
about 55 s of CPU, a quarter of the suite's; lower BC_TUI_FUZZ_KEYS for a quick local run.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import random
from pathlib import Path

import pytest
from textual import events
from textual.binding import Binding
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

import bc_tui.screens
import bc_tui.widgets
from bc_tui.app import BusinessCenterApp
from bc_tui.services.integrity import check_integrity
from bc_tui.store import Store
from bc_tui.widgets.phone import PhonePane, PhoneSession
from tests.apps import demo_services

SEEDS = (1, 2, 3, 4)
KEYS_PER_SEED = int(os.environ.get("BC_TUI_FUZZ_KEYS", "500"))
QUITTING = {"q", "ctrl+q", "ctrl+c"}
MOVING = ["up", "down", "left", "right", "tab", "shift+tab", "pageup", "pagedown", "home", "end"]
TYPING = ["a", "e", "s", "7", "0", "at", "full_stop", "backspace", "space", "slash", "ctrl+p"]


def binding_keys() -> list[str]:
    """Every key any binding of the app, its screens, dialogs and widgets answers to."""
    owners: list[object] = [BusinessCenterApp]
    for package in (bc_tui.screens, bc_tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            owners += [value for value in vars(module).values() if isinstance(value, type)]
    keys: set[str] = set()
    for owner in owners:
        for binding in getattr(owner, "BINDINGS", []):
            if isinstance(binding, Binding):
                keys.update(key.strip() for key in binding.key.split(","))
    return sorted(keys - QUITTING)


KEYS = binding_keys()


#: The character a named key types (the rest type themselves or nothing).
_CHARS = {"space": " ", "slash": "/", "at": "@", "full_stop": ".", "question_mark": "?"}
_CHARS |= {"left_square_bracket": "[", "right_square_bracket": "]"}


def walk(rng: random.Random, length: int) -> list[str]:
    """Random keys, a third of them escape or an area key: a uniform walk spends most of its
    time typing into whatever input it opened, and rarely sees the other screens."""
    everything = KEYS + MOVING + TYPING
    leave = ["escape", "1", "2", "3", "4", "5"]
    return [rng.choice(leave if rng.random() < 0.33 else everything) for _ in range(length)]


def upstream_crash(app: BusinessCenterApp, key: str) -> bool:
    """True for the one key known to crash Textual itself, not bc-tui: pageup/pagedown in the
    command palette before its list is laid out raises KeyError in OptionList._move_page
    (Textual 8.2; seen elsewhere too, e.g. kagan-sh/kagan-legacy#31). Skipped, not hidden:
    the other keys still reach the palette."""
    return key in ("pageup", "pagedown") and isinstance(app.screen, CommandPalette)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the screen, and any screen the key opened, has handled its messages.

    Pilot's press also waits for the process to go idle (two 20 ms sleeps a key: 2,000 keys
    would take minutes). Waiting for less (a burst of keys) crashes Textual itself while it
    switches screens ("No screens on stack"), which no terminal can make it do."""
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()


def send_key(app: BusinessCenterApp, key: str) -> None:
    """Queue a key press as the terminal driver would."""
    event = events.Key(key, _CHARS.get(key, key if len(key) == 1 else None))
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


class Unexpected(logging.Handler):
    """Collects what the app logs as an unexpected error (it shows a notice and carries on)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_the_key_set_reaches_every_part_of_the_app() -> None:
    """The walk can open every area, the phone, the dialogs and the palette."""
    assert {"1", "2", "3", "4", "5", "p", "u", "b", "question_mark"} <= set(KEYS)
    assert {"a", "i", "n", "x", "m", "enter", "escape"} <= set(KEYS)
    assert not QUITTING & set(KEYS)


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_break_the_app_or_the_database(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    keys = walk(rng, KEYS_PER_SEED)
    services = demo_services(tmp_path)
    unexpected = Unexpected()
    logging.getLogger("bc_tui").addHandler(unexpected)
    try:
        pressed = 0
        seen: set[str] = set()
        while pressed < len(keys):
            app = BusinessCenterApp(services, services.views.default_actor(), watch_interval=0)
            async with app.run_test(size=(100, 30)) as pilot:
                while pressed < len(keys) and app.is_running:
                    if not upstream_crash(app, keys[pressed]):
                        send_key(app, keys[pressed])
                    pressed += 1
                    await settle(pilot)
                    seen.add(type(app.screen).__name__)
            assert app.return_code in (0, None), f"seed {seed}: app failed after {pressed} keys"
    finally:
        logging.getLogger("bc_tui").removeHandler(unexpected)
    assert [record.getMessage() for record in unexpected.records] == []
    assert len(seen) >= 7, f"the walk stayed in {sorted(seen)}"  # areas, dialogs, palette
    assert check_integrity(services.store) == []
    with Store(services.store.path, readonly=True) as store:
        assert check_integrity(store) == []


async def test_the_phone_pane_answers_before_it_has_composed(tmp_path: Path) -> None:
    """Regression, found by the walk above: the pane is mounted on first need, and a screen
    resuming (or `p`) right after could sync or focus it before it had composed its parts,
    raising NoMatches for '#phone-status' and killing the app."""
    services = demo_services(tmp_path)
    app = BusinessCenterApp(services, services.views.default_actor(), watch_interval=0)
    async with app.run_test(size=(100, 30)) as pilot:
        # The session `p` makes (there is none before), shown.
        app.phone_session = PhoneSession(services.phone.device().phone_id, visible=True)
        pane = PhonePane()
        app.screen.mount(pane)  # not awaited: in the DOM, not composed
        pane.sync()
        pane.focus_phone()
        await pilot.pause()
        assert pane.display and app.focused is pane.query_one("#phone-items", OptionList)
