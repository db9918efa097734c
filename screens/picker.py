"""A list to choose one thing from (acting user, Business Center, a role); returns its id."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.pick_list import ChoiceList, Item
from bc_tui.widgets.table import VirtualTable


class PickerDialog(Dialog[str | None]):
    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, column: str, choices: list[tuple[str, str]], current: str | None
    ) -> None:
        """`column`: what the choices are (the list's header); `choices`: (id, label) pairs;
        `current` is under the cursor first (None: the first choice)."""
        super().__init__()
        self._title = title
        self._column = column
        self._choices = choices
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            yield ChoiceList(
                self._column,
                (Item(label, choice_id) for choice_id, label in self._choices),
                current=self._current,
                id="choices",
            )
            yield Static("↑↓ move · enter choose · esc cancel", classes="dialog-keys")
        yield KeysFooter()  # (the screen's went: see `AreaScreen.on_screen_suspend`)

    @on(VirtualTable.RowSelected, "#choices")
    def _chosen(self, event: VirtualTable.RowSelected) -> None:
        self.dismiss(str(event.key))

    def action_cancel(self) -> None:
        self.dismiss(None)
