"""Build a BusinessCenterApp over the demo fixture in a temp folder, frozen in time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from bc_tui.app import BusinessCenterApp
from bc_tui.clock import FakeClock
from bc_tui.ids import SeededIds
from bc_tui.phone_app import PhoneApp
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.services import Actor, Services
from bc_tui.services.seed import load_demo
from bc_tui.store.database import Store
from bc_tui.widgets.table import VirtualTable
from tests.conftest import as_user


def demo_services(folder: Path) -> Services:
    """Services over the demo fixture in `folder`, with a frozen clock and seeded ids."""
    clock = FakeClock()
    services = Services(Store(folder / "bc.json"), clock, SeededIds(11))
    load_demo(services.repo, clock)
    return services


def phone_app(folder: Path) -> PhoneApp:
    """The demo's phone on its own, as `bc-tui phone` runs it, no file watching."""
    services = demo_services(folder)
    return PhoneApp(services, services.phone.device().phone_id, watch_interval=0)


def demo_app(
    folder: Path, actor: Actor | None = None, *, confirm_dwell: float = 0.0
) -> BusinessCenterApp:
    """The demo as `actor` (default: Ava Chen, Admin of Northwind Media), no file watching;
    confirmations answered at once unless `confirm_dwell` says otherwise."""
    services = demo_services(folder)
    return BusinessCenterApp(
        services,
        actor or services.views.default_actor(),
        watch_interval=0,
        confirm_dwell=confirm_dwell,
    )


class Typed(str):
    """A step of `keys()` that types its text into the focused input in one go."""


async def play(pilot: Pilot[None], *steps: str) -> None:
    """Press keys; a `Typed` step fills the focused input at once (a key per character makes
    a test slow without testing anything more: Textual's Input is not ours to test)."""
    for step in steps:
        if isinstance(step, Typed):
            field = pilot.app.focused
            assert isinstance(field, Input), f"typing {step!r} needs a focused input"
            field.cursor_blink = False  # a snapshot must not catch the cursor mid-blink
            field.insert_text_at_cursor(step)
            await pilot.pause()
        else:
            await pilot.press(step)


async def run_command(pilot: Pilot[None], title: str) -> None:
    """Run the command palette's command `title`: open the palette, type the title, wait
    (bounded) until the palette lists that command first (it searches in the background),
    then choose it."""
    from textual.command import CommandList

    await play(pilot, "ctrl+p", Typed(title))
    for _ in range(100):
        found = pilot.app.screen.query_one(CommandList)
        if found.option_count and title in str(found.get_option_at_index(0).prompt):
            break
        await pilot.pause(0.05)
    else:
        raise AssertionError(f"the palette did not list {title!r}")
    await pilot.press("enter")
    await pilot.pause()


#: The key names of some characters (what a terminal's driver calls them).
_KEY_NAMES = {
    "\r": "enter",
    " ": "space",
    ".": "full_stop",
    ",": "comma",
    "@": "at",
    "/": "slash",
}


def burst(app: App[object], *keys: str) -> None:
    """Keys handed to the app together, as a terminal's driver does with keys that arrive in
    one read: a double tap, a paste, fast typing over SSH. Each is a character ("x", "1",
    "@") or a key's name ("enter", "down")."""
    characters = {name: character for character, name in _KEY_NAMES.items()}
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_KEY_NAMES.get(key, key), key))
        else:
            app.post_message(events.Key(key, characters.get(key)))


def keys(*steps: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A snapshot's `run_before` that plays `steps`."""

    async def run_before(pilot: Pilot[None]) -> None:
        await play(pilot, *steps)

    return run_before


async def on_account(pilot: Pilot[None], handle: str) -> VirtualTable[object]:
    """TikTok accounts (2), with the cursor on @`handle`."""
    await pilot.press("2")
    table = pilot.app.screen.query_one("#accounts", VirtualTable)
    table.move_cursor(row=table.row_index(handle))
    return table


async def open_member(pilot: Pilot[None], name: str) -> MemberDialog:
    """Members (3), the cursor on the demo person `name` (as `as_user` knows them), enter."""
    app = pilot.app
    await pilot.press("3")
    table = app.screen.query_one("#members", VirtualTable)
    table.move_cursor(row=table.row_index(as_user(name).user_id))
    await pilot.press("enter")
    assert isinstance(app.screen, MemberDialog)
    return app.screen
