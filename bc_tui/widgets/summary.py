"""The line above an area's table that says what it shows ("10,000 accounts · 9,200 active")."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static


class Summary(Static):
    """A summary that repaints only itself while it keeps its height.

    It changes on every filter keystroke. Static's `update` also lays out the whole screen
    each time, in case the text now wraps to another number of lines; that is only possible
    when the old or the new text is wider than the line.
    """

    def __init__(self) -> None:
        super().__init__(id="summary")
        self._said = Text()

    def say(self, text: Text) -> None:
        if (text, text.style) == (self._said, self._said.style):  # Text == ignores the style
            return
        width = self.content_region.width

        def one_line(said: str) -> bool:
            return 0 < cell_len(said) <= width and "\n" not in said

        same_height = one_line(self._said.plain) and one_line(text.plain)
        self._said = text
        self.update(text, layout=not same_height)
