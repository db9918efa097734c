"""`?`: every key that works right now, generated from the bindings so it never drifts."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet


class HelpScreen(Dialog[None]):
    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        """`sections`: (heading, [(key as shown, what it does)])."""
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=9)
        table.add_column()
        for index, (heading, keys) in enumerate(self.sections):
            if index:
                table.add_row("", "")
            table.add_row(Text(heading, style="bold underline"), "")
            for key, description in keys:
                table.add_row(key, Text(description))
        with VerticalScroll(classes="dialog -help"):
            yield Static("Keys", classes="dialog-title")
            yield Static(table, classes="dialog-body")
            yield Static("ctrl+p finds every action by name · esc close", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
