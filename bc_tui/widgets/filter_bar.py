"""The `/` filter: a one-line input above a table that narrows it as you type."""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input


class FilterBar(Input):
    """Hidden until `/`; escape clears it and hands focus back to the table."""

    BINDINGS = [Binding("escape", "clear", "Clear filter")]

    # Input sets its virtual size (the text's width) on every keystroke, and Widget's
    # reactive lays out the whole screen when it changes: a third of each keystroke over
    # 10,000 accounts. The bar is always one line at full width, so the text's width only
    # moves the bar's own horizontal scroll, which a repaint shows.
    virtual_size = Reactive(Size(0, 0), layout=False)

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
