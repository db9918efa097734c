"""PickList: the dialogs' list to pick several of, painted a screen at a time."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from bc_tui.widgets import pick_list
from bc_tui.widgets.pick_list import ChoiceList, Item, PickList

ITEMS = [Item(f"@account{n:05d}", f"account{n:05d}") for n in range(10_000)]


class PickApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes = 0

    def compose(self) -> ComposeResult:
        yield PickList("TikTok account", ITEMS, id="picks")

    def on_pick_list_changed(self, _: PickList.Changed) -> None:
        self.changes += 1


async def test_space_picks_and_unpicks_the_item_under_the_cursor() -> None:
    app = PickApp()
    async with app.run_test(size=(60, 20)) as pilot:
        picks = app.query_one(PickList)
        assert app.focused is picks
        await pilot.press("space", "down", "down", "space")
        assert picks.selected == ["account00000", "account00002"]
        await pilot.press("ctrl+end", "space", "ctrl+home", "space")
        assert picks.selected == ["account00002", "account09999"]  # in the items' order
        await pilot.press("down", "down", "space")
        assert picks.selected == ["account09999"]
        await pilot.pause()
        assert app.changes == 5
        assert "✓" in str(picks.cells_at(9999)[0])
        assert "✓" not in str(picks.cells_at(2)[0])


async def test_a_click_picks_the_line_it_hits() -> None:
    app = PickApp()
    async with app.run_test(size=(60, 20)) as pilot:
        picks = app.query_one(PickList)
        await pilot.click(PickList, offset=(5, 4))  # line 0 is the header
        assert picks.selected == ["account00003"]
        assert picks.cursor_row == 3
        await pilot.click(PickList, offset=(5, 4))
        assert picks.selected == []


async def test_new_items_start_with_nothing_picked_and_the_cursor_on_top() -> None:
    app = PickApp()
    async with app.run_test(size=(60, 20)) as pilot:
        picks = app.query_one(PickList)
        await pilot.press("down", "space")
        picks.set_items([Item("Brightlane — Launch", "7214550918300000102")])
        assert picks.selected == []
        await pilot.pause()
        assert app.changes == 2  # the pick, then its end with the items
        assert picks.cursor_row == 0
        picks.pick("7214550918300000102")
        assert picks.selected == ["7214550918300000102"]
        try:
            picks.pick("account00001")  # no longer offered
        except KeyError:
            pass
        else:
            raise AssertionError("picking a value that is not offered must fail")
        assert picks.selected == ["7214550918300000102"]


async def test_only_the_lines_on_screen_are_drawn() -> None:
    """10,000 items cost what a screenful does: the cells of other lines are never made."""
    drawn: list[str] = []

    class Counting(PickList):
        def _item_cells(self, item: Item):  # type: ignore[override]
            drawn.append(item.value)
            return super()._item_cells(item)

    class CountingApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Counting("TikTok account", ITEMS)

    async with CountingApp().run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert 0 < len(set(drawn)) <= 20


PEOPLE = [
    Item(name, name.casefold())
    for name in ("Ava Chen", "Diego Alvarez", "Lena Park", "Liam Ortiz", "Priya Natarajan")
]


class PeopleApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PickList("Member", [*PEOPLE, Item("@lumen.studio", "lumen.studio")])


async def test_typing_jumps_to_what_was_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Letters typed in a row name an item by its start (an "@" aside); a letter typed again
    goes on to the next item with it; after a pause, letters start a new word."""
    in_a_row, after_a_pause = 3600.0, 0.0  # (TYPING_PAUSE: keys in a test come at once)
    monkeypatch.setattr(pick_list, "TYPING_PAUSE", in_a_row)
    app = PeopleApp()
    async with app.run_test(size=(60, 20)) as pilot:
        picks = app.query_one(PickList)
        await pilot.press("l")
        assert picks.cursor_row == 2  # Lena Park
        await pilot.press("l", "l")
        assert picks.cursor_row == 5  # Liam Ortiz, then @lumen.studio
        monkeypatch.setattr(pick_list, "TYPING_PAUSE", after_a_pause)
        await pilot.press("l")
        assert picks.cursor_row == 2  # round to Lena Park
        monkeypatch.setattr(pick_list, "TYPING_PAUSE", in_a_row)
        await pilot.press("i")
        assert picks.cursor_row == 3  # "li": Liam Ortiz
        await pilot.press("x")
        assert picks.cursor_row == 3  # nothing starts with "lix": the cursor stays
        assert picks.selected == []  # and typing picks nothing
        monkeypatch.setattr(pick_list, "TYPING_PAUSE", after_a_pause)
        await pilot.press("d", "p")
        assert picks.cursor_row == 4  # Diego, then Priya: a new word each
        await pilot.press("at")
        monkeypatch.setattr(pick_list, "TYPING_PAUSE", in_a_row)
        await pilot.press("l", "u")
        assert picks.cursor_row == 5  # "@lu", as a handle is written: @lumen.studio


async def test_a_list_with_nothing_to_pick_says_so() -> None:
    app = PeopleApp()
    async with app.run_test(size=(60, 20)) as pilot:
        picks = app.query_one(PickList)
        assert picks.column_labels[1] == "Member (type to jump, space picks)"
        picks.set_items([])
        assert picks.column_labels[1] == "Member (none to pick)"
        await pilot.press("space", "down", "a", "enter")  # nothing happens, nothing breaks
        assert picks.selected == []
        picks.set_items([], column="Ad account")
        assert picks.column_labels[1] == "Ad account (none to pick)"


class ChoiceApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[object] = []

    def compose(self) -> ComposeResult:
        yield ChoiceList("Member", PEOPLE, current="lena park")

    def on_virtual_table_row_selected(self, event: ChoiceList.RowSelected) -> None:
        self.chosen.append(event.key)


async def test_a_choice_list_starts_on_the_current_item_and_enter_or_a_click_chooses() -> None:
    app = ChoiceApp()
    async with app.run_test(size=(60, 20)) as pilot:
        choices = app.query_one(ChoiceList)
        assert choices.cursor_row == 2  # Lena Park, the current one
        assert choices.column_labels == ["Member (type to jump, enter chooses)"]
        await pilot.press("end", "enter")
        await pilot.click(ChoiceList, offset=(5, 2))  # line 0 is the header: Diego Alvarez
        await pilot.press("home", "p", "enter")
        await pilot.pause()
        assert app.chosen == ["priya natarajan", "diego alvarez", "priya natarajan"]


async def test_a_label_wider_than_the_list_ends_in_an_ellipsis() -> None:
    """No scrolling sideways: the labels' column is cut to the list's width."""
    long = Item("Priya Natarajan (Standard + Finance Manager) — " + "p" * 80, "priya")

    class LongApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ChoiceList("Member", [*PEOPLE, long])

    app = LongApp()
    async with app.run_test(size=(60, 20)) as pilot:
        choices = app.query_one(ChoiceList)
        await pilot.pause()
        assert choices.max_scroll_x == 0
        assert choices.virtual_size.width <= choices.scrollable_content_region.width
        lines = [strip.text for strip in choices.render_lines(Region(0, 0, 60, 8))]
        assert lines[6].strip().startswith("Priya Natarajan (Standard + Finance Manager) — ppp")
        assert lines[6].strip().endswith("p…")


async def test_labels_fit_again_when_new_items_bring_a_scrollbar() -> None:
    """A scrollbar narrows the list without resizing it (no Resize event): the labels are
    fitted again once the new items are laid out."""

    def long(count: int) -> list[Item]:
        return [Item("@" + "x" * 70 + str(n), str(n)) for n in range(count)]

    class ShortApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PickList("TikTok account", long(11))  # as many as fit: no scrollbar

    app = ShortApp()
    async with app.run_test(size=(60, 20)) as pilot:
        picks = app.query_one(PickList)
        await pilot.pause()
        assert picks.max_scroll_x == 0
        picks.set_items(long(1_000))
        await pilot.pause()
        assert picks.max_scroll_x == 0
        assert picks.virtual_size.width <= picks.scrollable_content_region.width


async def test_an_empty_choice_list_says_so_and_chooses_nothing() -> None:
    chosen: list[object] = []

    class EmptyApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ChoiceList("Business Center", [])

        def on_virtual_table_row_selected(self, event: ChoiceList.RowSelected) -> None:
            chosen.append(event.key)

    app = EmptyApp()
    async with app.run_test(size=(60, 20)) as pilot:
        choices = app.query_one(ChoiceList)
        assert choices.column_labels == ["Business Center (none to choose)"]
        await pilot.press("enter", "a", "end", "enter")
        await pilot.click(ChoiceList, offset=(3, 1))
        assert chosen == []
