"""The key bar and the sidebar are one widget each that draws its parts (issue #8): what the
mouse did on Textual's widget per key or per area must still work on them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding

from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.widgets.footer import BarKey, KeysFooter
from bc_tui.widgets.nav import AREAS, NavSidebar
from tests.apps import demo_app


def _key(bar: KeysFooter, key: str) -> BarKey:
    (found,) = [shown for shown in bar.keys if shown.key == key]
    return found


def _background_at(bar: KeysFooter, x: int) -> object:
    """The background painted at cell `x` of the bar's line, as it would be drawn now."""
    at = 0
    for segment in bar.render_line(0):
        if at <= x < at + len(segment.text):
            return segment.style.bgcolor if segment.style else None
        at += len(segment.text)
    raise AssertionError(f"no cell {x}")


async def test_a_click_on_a_key_in_the_bar_presses_it(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        bar = app.screen.query_one(KeysFooter)
        remove = _key(bar, "x")
        await pilot.click(bar, offset=(remove.start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        palette = bar.keys[-1]
        assert palette.display == "^p"
        await pilot.click(bar, offset=(palette.end - 2, 0))
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


class _OneKeyOff(App[None]):
    """Two keys, one of them off (`check_action` None: shown dim, as Textual does)."""

    BINDINGS = [Binding("a", "on", "On"), Binding("b", "off", "Off")]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "off" else True

    def action_on(self) -> None:
        self.pressed.append("on")

    def action_off(self) -> None:
        self.pressed.append("off")


async def test_a_key_that_is_off_is_dim_and_rings_the_bell_when_clicked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _OneKeyOff()
    rung: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: rung.append(True))
    async with app.run_test(size=(60, 5)) as pilot:
        bar = app.query_one(KeysFooter)
        on, off = _key(bar, "a"), _key(bar, "b")
        assert on.enabled and not off.enabled
        dim = [segment.style.dim for segment in bar.render_line(0) if segment.text.strip()]
        assert dim[:4] == [None, None, True, True]  # " a ", "On ", " b ", "Off "
        await pilot.click(bar, offset=(off.start + 1, 0))
        await pilot.click(bar, offset=(on.start + 1, 0))
        await pilot.pause()
        assert rung == [True]
        assert app.pressed == ["on"]


async def test_the_key_under_the_pointer_is_lit_and_says_its_tooltip(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        bar = app.screen.query_one(KeysFooter)
        assign, remove = _key(bar, "m"), _key(bar, "x")
        unlit = _background_at(bar, assign.start)
        await pilot.hover(bar, offset=(assign.start + 1, 0))
        await pilot.pause()
        assert bar.tooltip == "Assign members to the picked accounts"
        assert _background_at(bar, assign.start) != unlit
        assert _background_at(bar, remove.start) == unlit
        await pilot.hover(app.screen.query_one(NavSidebar))
        await pilot.pause()
        assert _background_at(bar, assign.start) == unlit


async def test_the_bar_is_drawn_again_when_its_keys_change(tmp_path: Path) -> None:
    """In the filter the keys are the field's: the line on screen follows, not only the keys
    the bar would list if asked."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        bar = app.screen.query_one(KeysFooter)
        before = bar.keys
        drawn = bar.render_line(0).text
        await pilot.press("slash")
        await pilot.pause()
        assert bar.keys != before
        drawn_now = bar.render_line(0).text
        assert drawn_now != drawn
        *keys, palette = bar.keys
        for key in keys:
            assert f" {key.display} {key.description} " in drawn_now
        assert drawn_now.endswith(f"▏{palette.display} {palette.description} ")


@pytest.mark.parametrize("line", range(len(AREAS)))
async def test_a_click_on_an_area_in_the_sidebar_goes_there(tmp_path: Path, line: int) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        _key_name, area, _label = AREAS[line]
        await pilot.click(app.screen.query_one(NavSidebar), offset=(3, 1 + line))
        await pilot.pause()
        assert app.current_mode == area


async def test_the_area_under_the_pointer_is_lit(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        nav = app.screen.query_one(NavSidebar)

        def background(line: int) -> object:
            segment = next(iter(nav.render_line(line)))  # (lines of content: no padding)
            return segment.style.bgcolor if segment.style else None

        unlit = background(2)
        await pilot.hover(nav, offset=(3, 1 + 2))
        await pilot.pause()
        assert background(2) != unlit
        assert background(3) == unlit
        await pilot.hover(app.screen.query_one(KeysFooter))
        await pilot.pause()
        assert background(2) == unlit


@pytest.mark.parametrize(("width", "label"), [(120, "2 TikTok accounts"), (80, "2 TikTok")])
async def test_the_sidebar_says_the_short_names_where_the_long_ones_do_not_fit(
    tmp_path: Path, width: int, label: str
) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(width, 36)) as pilot:
        await pilot.press("2")
        nav = app.screen.query_one(NavSidebar)
        assert nav.render_line(1).text.strip() == label


@pytest.mark.parametrize("width", [80, 100])
async def test_a_key_without_room_is_left_out_not_cut(tmp_path: Path, width: int) -> None:
    """At 100 columns TikTok accounts' bar ended "b S▏^p palette": half a key says nothing
    (and a click on it pressed b). Keys that do not fit whole are left out; ? lists them."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.press("2")
        bar = app.screen.query_one(KeysFooter)
        *keys, palette = bar.keys
        drawn = bar.render_line(0).text
        for key in keys:
            assert drawn[key.start : key.end] == f" {key.display} {key.description} "
        assert drawn[keys[-1].end : palette.start].strip() == ""
        assert drawn[palette.start :] == "▏^p palette "
        assert len(keys) < 11  # (some keys left out: the test is about them)
