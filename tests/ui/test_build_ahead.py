"""Building the areas ahead (what `bc-tui` asks for, `bc_tui.ahead`): once the first screen
is up, the other areas are built behind it, one at a time, so that a first visit costs what
a later one does, without the user seeing a thing, losing a key, a click, the focus or the
phone's cursor, or being shown stale rows later."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import _get_mouse_message_arguments
from textual.widget import Widget
from textual.widgets import OptionList

from bc_tui import ahead, shell
from bc_tui.app import BusinessCenterApp
from bc_tui.screens.assets import AssetsScreen
from bc_tui.screens.help import HelpScreen
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.screens.members import MembersScreen
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from bc_tui.widgets.nav import AREAS, NavSidebar
from tests.apps import demo_services
from tests.conftest import as_user
from tests.ui.test_navigation import handles


def building_app(folder: Path, *, build_ahead: bool = True) -> BusinessCenterApp:
    services = demo_services(folder)
    actor = services.views.default_actor()
    assert actor is not None
    return BusinessCenterApp(services, actor, watch_interval=0, build_ahead=build_ahead)


async def until_built(app: BusinessCenterApp) -> None:
    await asyncio.wait_for(app.areas_built.wait(), timeout=30)
    assert app.unbuilt_areas() == []


def click(app: BusinessCenterApp, widget: Widget, offset: tuple[int, int] = (2, 0)) -> None:
    """A click as the terminal driver sends it: into the app's queue."""
    arguments = _get_mouse_message_arguments(widget, offset, button=1)
    app.post_message(events.MouseDown(**arguments))
    app.post_message(events.MouseUp(**arguments))


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead, "BUILD_AHEAD_PAUSE", 0.001)
    monkeypatch.setattr(ahead, "BUILD_AHEAD_GAP", 0.001)
    monkeypatch.setattr(ahead, "BUILD_AHEAD_QUIET", 0)


@pytest.mark.usefixtures("real_collector")
async def test_areas_are_built_behind_the_first_and_shown_as_built(tmp_path: Path) -> None:
    """Built unseen, an area is shown as it was built; and its rows are those of the moment
    it is shown: here the acting user changed in between (what the `u` picker does). What
    was built joins the collector's frozen generation."""
    app = building_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        (first,) = app.get_screen_stack("assets")  # (app.screen is another during a step)
        focused = first.focused
        assert isinstance(first, AssetsScreen) and focused is not None
        await until_built(app)
        assert app.screen is first and app.focused is focused
        (built,) = app.get_screen_stack("tiktok_accounts")
        assert isinstance(built, TikTokAccountsScreen)
        assert not any(thing is built for thing in gc.get_objects())  # frozen ones are not
        app.actor = as_user("lena")
        app.data_changed()
        await pilot.press("2")
        assert app.screen is built
        assert handles(app) == ["@brightlane.studio", "@mira.makes"]


async def test_nothing_is_built_while_a_dialog_is_open_or_keys_come(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that finds a dialog open, or a key pressed a moment ago, tries again later
    (here: not within the test); the next step builds the rest, one after another, and the
    dialog's screen is left as it was."""
    monkeypatch.setattr(ahead, "BUILD_AHEAD_PAUSE", 60)
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        app._build_ahead_soon()
        await pilot.pause()
        assert len(app.unbuilt_areas()) == 4
        await pilot.press("escape")
        monkeypatch.setattr(ahead, "BUILD_AHEAD_QUIET", 60)
        app._build_ahead_soon()
        await pilot.pause()
        assert len(app.unbuilt_areas()) == 4
        monkeypatch.setattr(ahead, "BUILD_AHEAD_QUIET", 0)
        app._build_ahead_soon()
        await until_built(app)
        assert isinstance(app.screen, AssetsScreen)


async def test_keys_typed_while_an_area_is_built_reach_the_screen_on_display(
    tmp_path: Path,
) -> None:
    """The build runs from the app's message queue: keys sent right behind it wait for it,
    then go to the screen the user sees, never to the one built unseen."""
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        members = app.screen
        assert isinstance(members, MembersScreen)
        app._build_ahead_soon()  # builds TikTok accounts, the first area not built
        await pilot.press("slash", *"len")
        assert app.screen is members
        assert members.query_text == "len"
        (tiktok,) = app.get_screen_stack("tiktok_accounts")
        assert isinstance(tiktok, TikTokAccountsScreen)
        assert tiktok.is_mounted and tiktok.filter_bar is None


@pytest.mark.parametrize("area", ["tiktok_accounts", "activity"])
async def test_a_click_handled_as_a_step_begins_goes_where_the_user_clicked(
    tmp_path: Path, area: str
) -> None:
    """A click the app handed on just before a step is handled by its widget during the
    step: choosing an area in the sidebar, even the very area being built (TikTok accounts
    is the first), takes the user there, not behind the step."""
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        line = [name for _, name, _ in AREAS].index(area)
        click(app, app.screen.query_one(NavSidebar), (2, 1 + line))  # (below its padding)
        app._build_ahead_soon()
        await until_built(app)
        assert app.current_mode == area


async def test_a_member_opened_as_a_step_begins_opens_over_the_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key (or click) a table took just before a step opens its dialog on the user's
    screen, not on the stack of the area built meanwhile."""
    monkeypatch.setattr(ahead, "BUILD_AHEAD_PAUSE", 60)  # the next step waits for the dialog
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        members = app.screen
        app.post_message(events.Key("enter", "\r"))
        app._build_ahead_soon()
        for _ in range(20):
            await pilot.pause()
        assert isinstance(app.screen, MemberDialog)
        assert app.screen_stack == [members, app.screen]
        assert len(app.get_screen_stack("tiktok_accounts")) == 1


async def test_the_phone_keeps_its_cursor_and_the_focus_across_a_step(tmp_path: Path) -> None:
    """The user's screen is resumed after each step: its phone is not drawn again."""
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("p", "down")
        options = app.screen.query_one("#phone-items", OptionList)
        before, focused = options.highlighted, app.focused
        assert before == 1 and focused is options
        app._build_ahead_soon()
        await until_built(app)
        assert (options.highlighted, app.focused) == (before, focused)


async def test_a_terminal_gone_during_a_step_ends_the_app_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hang-up check finds the terminal gone while an area is being built unseen: the
    app ends with status 0 once the step is over, and starts no other (Textual mounts nothing
    once an app is exiting, so a screen built then would find none of its widgets)."""
    monkeypatch.setattr(shell, "_hung_up", lambda fd: True)
    app = building_app(tmp_path)

    async def until(done: Callable[[], bool]) -> None:
        while not done():
            await asyncio.sleep(0)  # (a turn of the loop: the app works meanwhile)

    async with app.run_test(size=(120, 36)):
        await asyncio.wait_for(until(lambda: app._building is not None), timeout=30)
        app._check_terminal()  # from outside the app's queue, as its timer does
        await asyncio.wait_for(until(lambda: not app.is_running), timeout=30)
    assert app.return_code == 0


async def test_no_step_starts_once_the_app_is_exiting(tmp_path: Path) -> None:
    """A step queued before a quit but run after it does nothing (see the test above)."""
    app = building_app(tmp_path, build_ahead=False)  # no steps but the one run here
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        unbuilt = app.unbuilt_areas()
        app.exit()
        await app._build_next_area()
        assert app.unbuilt_areas() == unbuilt
    assert app.return_code == 0


async def test_the_phone_redraw_between_two_screens_of_a_step_finds_no_code(
    tmp_path: Path,
) -> None:
    """The phone redraws each second and asks which code the admin's screen shows. During a
    step an area's mode is entered before its screen is on it: there was no screen, and the
    phone's timer raised ScreenStackError (the app ended with a traceback under load). The
    window is made here by hand: the current mode with no screen yet."""
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("p")
        stacks = app._screen_stacks  # (Textual's own: the window has no public way in)
        kept = stacks[app.current_mode]
        stacks[app.current_mode] = []
        try:
            assert app.token_on_screen() is None
        finally:
            stacks[app.current_mode] = kept


async def test_a_key_that_comes_between_two_screens_of_a_step_waits_for_one(
    tmp_path: Path,
) -> None:
    """With no screen on the stack Textual had nowhere to hand a key: ScreenStackError ended
    the app (a burst of keys across areas under load). The key now waits for a screen."""
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        stacks = app._screen_stacks  # (Textual's own: the window has no public way in)
        kept = stacks[app.current_mode]
        stacks[app.current_mode] = []
        key = events.Key("3", "3")
        climbing = events.Key("x", "x")  # one its widget left, on its way to the bindings
        climbing._set_forwarded()
        try:
            app.post_message(key)
            app.post_message(climbing)

            async def both_held() -> None:
                while len(app._held or ()) < 2:  # (pause needs a screen: turns of the loop)
                    await asyncio.sleep(0)

            await asyncio.wait_for(both_held(), timeout=30)
            assert app.is_running and [k.key for k in app._held or ()] == ["3", "x"]
        finally:
            stacks[app.current_mode] = kept
        app.release_keys()
        await pilot.pause()
        assert app.current_mode == "members"
