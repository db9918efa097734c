"""The navigation sidebar: the five areas with their number keys, the current one marked.

One widget that draws five lines, not a container of five: every widget is styled, laid out
and painted on its own, and each area screen has a sidebar, so five were ~3 ms of each
area's first frame, the start-up's included (issue #8).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

AREAS: tuple[tuple[str, str, str], ...] = (
    ("1", "assets", "Assets"),
    ("2", "tiktok_accounts", "TikTok accounts"),
    ("3", "members", "Members"),
    ("4", "billing", "Billing"),
    ("5", "activity", "Activity log"),
)
#: What the sidebar shows in a narrow terminal (80 columns), where every column counts.
SHORT_LABELS = {"tiktok_accounts": "TikTok", "activity": "Activity"}


class NavSidebar(Widget):
    """Shows where you are and where the number keys go; clicking an area is a convenience
    for what its number key does."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"nav--item", "nav--current", "nav--hover"}

    class Selected(Message):
        def __init__(self, area: str) -> None:
            super().__init__()
            self.area = area

    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current
        self._hover: int | None = None  # the line under the pointer

    def _label(self, line: int) -> str:
        """Line `line`'s words: its key and area, short if the whole name does not fit."""
        key, area, name = AREAS[line]
        full = f"{key} {name}"
        if self.content_size.width - 2 >= len(full):
            return full
        return f"{key} {SHORT_LABELS.get(area, name)}"

    def render(self) -> Text:
        width = self.content_size.width
        lines = Text(no_wrap=True, end="")
        for line, (_key, area, _name) in enumerate(AREAS):
            if area == self.current:
                style = self.get_component_rich_style("nav--current")
            elif line == self._hover:
                style = self.get_component_rich_style("nav--item", "nav--hover")
            else:
                style = self.get_component_rich_style("nav--item")
            # The padding, the words and the rest apart, as a padded Static paints them.
            words = self._label(line)[: max(0, width - 2)]
            lines.append(" ", style)
            lines.append(words, style)
            lines.append(" " * (width - 1 - len(words)), style)
            if line < len(AREAS) - 1:
                lines.append("\n")
        return lines

    def _line_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or not 0 <= offset.y < len(AREAS):
            return None
        return offset.y

    def on_mouse_move(self, event: events.MouseMove) -> None:
        line = self._line_at(event)
        if line != self._hover:
            self._hover = line
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        line = self._line_at(event)
        if line is not None:
            self.post_message(self.Selected(AREAS[line][1]))
