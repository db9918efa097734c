"""Building the areas ahead (what `bc-tui` asks for): once the first screen is up, the other
areas are built behind it, one at a time, so that a first visit costs what a later one does,
without the user seeing a thing, losing focus, or being shown stale rows later."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from bc_tui import app as app_module
from bc_tui.app import BusinessCenterApp
from bc_tui.screens.assets import AssetsScreen
from bc_tui.screens.help import HelpScreen
from bc_tui.screens.members import MembersScreen
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from bc_tui.widgets.filter_bar import FilterBar
from tests.apps import demo_services
from tests.conftest import as_user
from tests.ui.test_navigation import handles


def building_app(folder: Path, *, build_ahead: bool = True) -> BusinessCenterApp:
    services = demo_services(folder)
    actor = services.views.default_actor()
    assert actor is not None
    return BusinessCenterApp(services, actor, watch_interval=0, build_ahead=build_ahead)


async def until_built(app: BusinessCenterApp, pilot: Pilot[None]) -> None:
    for _ in range(200):
        if not app.unbuilt_areas():
            return
        await pilot.pause()
    raise AssertionError(f"still not built: {app.unbuilt_areas()}")


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "BUILD_AHEAD_PAUSE", 0.001)
    monkeypatch.setattr(app_module, "BUILD_AHEAD_GAP", 0.001)


async def test_areas_are_built_behind_the_first_and_shown_as_built(tmp_path: Path) -> None:
    """Built unseen, an area is shown as it was built; and its rows are those of the moment
    it is shown: here the acting user changed in between (what the `u` picker does)."""
    app = building_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        first, focused = app.screen, app.focused
        assert isinstance(first, AssetsScreen) and focused is not None
        await until_built(app, pilot)
        assert app.screen is first and app.focused is focused
        (built,) = app.get_screen_stack("tiktok_accounts")
        assert isinstance(built, TikTokAccountsScreen)
        app.actor = as_user("lena")
        app.data_changed()
        await pilot.press("2")
        assert app.screen is built
        assert handles(app) == ["@brightlane.studio", "@mira.makes"]


async def test_nothing_is_built_while_a_dialog_is_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that finds a dialog open tries again later (here: not within the test); the
    next step builds the rest, one after another, and the dialog's screen is left as it
    was."""
    monkeypatch.setattr(app_module, "BUILD_AHEAD_PAUSE", 60)
    app = building_app(tmp_path, build_ahead=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        app._build_ahead_soon()
        await pilot.pause()
        assert len(app.unbuilt_areas()) == 4
        await pilot.press("escape")
        app._build_ahead_soon()
        await until_built(app, pilot)
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
        assert members.query_one(FilterBar).value == "len"
        (tiktok,) = app.get_screen_stack("tiktok_accounts")
        assert tiktok.is_mounted and tiktok.query_one(FilterBar).value == ""
