"""Radio buttons and check boxes show their state in text, not only in colour."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, RadioButton

from bc_tui.screens.scopes import ScopesDialog
from bc_tui.screens.transfer import TransferDialog
from tests.apps import Typed, demo_app, play
from tests.conftest import as_user


def marks(app, kind: type) -> list[str]:
    """The mark between each toggle's sides, as text (what a monochrome terminal shows)."""
    return [str(toggle.render()).split("▐")[1][0] for toggle in app.screen.query(kind)]


async def test_a_check_box_shows_its_tick_only_when_ticked(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("our.brand"), "enter", "enter")
        assert isinstance(app.screen, ScopesDialog)
        assert marks(app, Checkbox) == ["✓", " "]  # Spark Ads alone by default
        await pilot.press("space")  # Spark Ads has the focus
        assert marks(app, Checkbox) == [" ", " "]


async def test_a_radio_set_shows_which_one_is_chosen(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "4", "right_square_bracket", "right_square_bracket", "t")
        assert isinstance(app.screen, TransferDialog)
        assert marks(app, RadioButton) == ["●", " "]  # Recharge
        await pilot.press("shift+tab", "down")
        assert marks(app, RadioButton) == [" ", "●"]  # Refund


async def test_arrow_keys_choose_round_the_set_skipping_disabled_options() -> None:
    """Choices: ↓/→ choose the next option and ↑/← the previous, round the ends, past
    disabled ones; the highlight is on the option chosen."""
    from textual.app import App, ComposeResult

    from bc_tui.widgets.toggles import Choice, Choices

    class Three(App[None]):
        def compose(self) -> ComposeResult:
            with Choices():
                yield Choice("one", value=True)
                yield Choice("two", disabled=True)
                yield Choice("three")

    app = Three()
    async with app.run_test() as pilot:
        choices = app.query_one(Choices)
        choices.focus()
        await pilot.press("down")
        assert choices.pressed_index == 2
        await pilot.press("right")
        assert choices.pressed_index == 0  # round the end
        await pilot.press("up")
        assert choices.pressed_index == 2
        assert marks(app, RadioButton) == [" ", " ", "●"]
        assert choices.query(RadioButton)[2].has_class("-selected")  # highlighted too


async def test_the_highlight_starts_on_the_choice() -> None:
    """Textual highlighted the first option whatever was chosen: Analyst chosen, Admin
    highlighted, and ↓ (from the choice, round the end) chose Admin, the most powerful."""
    from textual.app import App, ComposeResult

    from bc_tui.widgets.toggles import Choice, Choices

    class Roles(App[None]):
        def compose(self) -> ComposeResult:
            with Choices():
                yield Choice("Admin")
                yield Choice("Operator")
                yield Choice("Analyst", value=True)

    app = Roles()
    async with app.run_test() as pilot:
        choices = app.query_one(Choices)
        choices.focus()
        await pilot.pause()
        assert choices.query(RadioButton)[2].has_class("-selected")
        await pilot.press("up")
        assert choices.pressed_index == 1  # Operator, next to the choice
