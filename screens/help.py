"""`?`: every key that works right now, generated from the bindings so it never drifts."""

from __future__ import annotations

from collections.abc import Iterator

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static

from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet


def bound_keys(node: DOMNode, *, all_of_them: bool = False) -> Iterator[tuple[str, str]]:
    """(key as shown, what it does) for each of our bindings on `node` that acts now, the
    class nearest `node` last (where a key is bound again, it says it better). Only those a
    key bar shows, unless `all_of_them` (a screen's: `?` is where its hidden ones are said)."""
    for cls in reversed(type(node).__mro__):
        if not cls.__module__.startswith("bc_tui."):  # ours, not Textual's tab or ctrl+c
            continue
        for binding in vars(cls).get("BINDINGS", []):
            if (
                isinstance(binding, Binding)
                and binding.description
                and (binding.show or all_of_them)
                and node.check_action(binding.action, ()) is not False
            ):
                key = binding.key_display or node.app.get_key_display(binding)
                yield key, binding.tooltip or binding.description


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
