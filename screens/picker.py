"""A short list to pick one thing from (acting user, Business Center); returns its id."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain


class PickerDialog(ModalScreen[str | None]):
    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str) -> None:
        """`choices`: (id, label) pairs; `current` is highlighted first."""
        super().__init__()
        self._title = title
        self._choices = choices
        self._current = current

    def compose(self) -> ComposeResult:
        options = OptionList(
            *(Option(plain(label), id=choice_id) for choice_id, label in self._choices),
            id="choices",
        )
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            yield options
            yield Static("↑↓ move · enter choose · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [choice_id for choice_id, _ in self._choices]
        if self._current in ids:
            options.highlighted = ids.index(self._current)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
