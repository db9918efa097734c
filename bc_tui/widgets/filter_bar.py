"""The `/` filter: a one-line input above a table that narrows it as you type."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """Hidden until `/`; escape clears it and hands focus back to the table."""

    BINDINGS = [Binding("escape", "clear", "Clear filter")]

    class Cleared(Message):
        """The filter was emptied and closed."""

    def __init__(self, placeholder: str) -> None:
        super().__init__(placeholder=placeholder, id="filter")
        self.display = False

    def open(self) -> None:
        """Show and focus at once (not on the next idle, as `focus()` would), so keys typed
        right after `/` land in the filter and not on the table's own bindings."""
        self.display = True
        self.screen.set_focus(self)

    def action_clear(self) -> None:
        self.value = ""
        self.display = False
        self.post_message(self.Cleared())
