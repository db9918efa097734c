"""TabBar: the keys, hiding, a click, and a line wider than the screen."""

from __future__ import annotations

from textual.app import App, ComposeResult

from bc_tui.widgets.tab_bar import TabBar

TABS = [("a", "Apples (3)"), ("b", "Bananas (12)"), ("c", "Cherries (0)"), ("d", "Dates (7)")]


class BarApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[str] = []
        self.browsed = 0

    def compose(self) -> ComposeResult:
        yield TabBar(TABS, id="bar")

    def on_tab_bar_changed(self, event: TabBar.Changed) -> None:
        self.changes.append(event.active)

    def on_tab_bar_browse(self, _: TabBar.Browse) -> None:
        self.browsed += 1


def line(app: BarApp) -> str:
    return app.query_one(TabBar).render().plain


async def test_arrows_go_round_the_ends_and_enter_or_down_browse() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 5)) as pilot:
        bar = app.query_one(TabBar)
        bar.focus()
        await pilot.press("left", "right", "right", "enter", "down")
        assert app.changes == ["d", "a", "b"] and bar.active == "b"
        assert app.browsed == 2


async def test_a_hidden_tab_is_skipped_and_hiding_the_active_one_moves_on() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 5)) as pilot:
        bar = app.query_one(TabBar)
        bar.focus()
        bar.show_tab("b", False)
        await pilot.press("right")
        assert bar.active == "c" and "Bananas" not in line(app)
        bar.show_tab("c", False)  # the active one: the next shown one takes over
        await pilot.pause()
        assert bar.active == "d" and bar.shown == ["a", "d"]
        for tab in ("a", "d"):
            bar.show_tab(tab, False)
        await pilot.pause()
        assert bar.active == "" and app.changes[-1] == ""
        bar.show_tab("c")
        assert bar.active == "c" and bar.shown == ["c"]


async def test_a_click_chooses_the_tab_under_it() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 5)) as pilot:
        start = line(app).index("Cherries")
        await pilot.click(TabBar, offset=(start + 2, 0))
        assert app.query_one(TabBar).active == "c" and app.query_one(TabBar).has_focus


async def test_wider_than_the_screen_the_active_tab_stays_in_view() -> None:
    app = BarApp()
    async with app.run_test(size=(30, 5)) as pilot:
        bar = app.query_one(TabBar)
        assert line(app).startswith(" Apples (3) ") and line(app).endswith("›")
        assert len(line(app)) == 30
        bar.focus()
        await pilot.press("left")  # round to the last
        shown = line(app)
        assert shown.startswith("‹") and shown.rstrip().endswith("Dates (7)")
        assert shown[1].isupper()  # (a whole label after the ‹, not "‹ries (0)")
        await pilot.press("left")
        assert "Cherries (0)" in line(app)
        start = line(app).index("Cherries")
        await pilot.click(TabBar, offset=(start, 0))
        assert bar.active == "c"
        bar.relabel("c", "Cherries (1,000)")
        assert "Cherries (1,000)" in line(app)
        await pilot.press("end")
        assert bar.active == "d" and "Dates (7)" in line(app)
        await pilot.press("home")
        assert bar.active == "a" and line(app).startswith(" Apples (3) ")
