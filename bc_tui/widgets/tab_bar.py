"""TabBar: one line of tabs drawn by one widget, for a screen that shows one of a few lists.

Textual's `Tabs` is a widget per tab (ten widgets for six tabs, with an animated underline):
on Assets, the screen bc-tui opens on, that was ~25 ms more before the first frame. This
draws the labels as one line of text, keeps the chosen one in view when the line is wider
than the screen, and takes the same keys: ←→ choose (round the ends, as `Tabs` does), enter
or ↓ go into what the tab shows, a click chooses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget


class TabBar(Widget, can_focus=True):
    """Tabs by id, each with a label; some may be hidden. One is active (if any is shown)."""

    DEFAULT_CSS = """
    TabBar {
        height: 1;
        width: 1fr;
        margin-bottom: 1;
    }
    TabBar > .tab-bar--tab {
        color: $text-muted;
    }
    TabBar > .tab-bar--active {
        color: $text;
        text-style: bold underline;
    }
    TabBar:focus > .tab-bar--active {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: bold;
    }
    TabBar > .tab-bar--more {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tab-bar--tab",
        "tab-bar--active",
        "tab-bar--more",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "previous", "Previous tab", show=False),
        Binding("right", "next", "Next tab", show=False),
        Binding("home", "first", "First tab", show=False),
        Binding("end", "last", "Last tab", show=False),
        Binding("enter,down", "browse", "Browse", show=False),
    ]

    class Changed(Message):
        """Another tab is active (or none, when every tab is hidden: `active` is "")."""

        def __init__(self, bar: TabBar, active: str) -> None:
            super().__init__()
            self.bar = bar
            self.active = active

        @property
        def control(self) -> TabBar:
            return self.bar

    class Browse(Message):
        """Go into what the active tab shows (enter or ↓)."""

        def __init__(self, bar: TabBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> TabBar:
            return self.bar

    def __init__(self, tabs: Iterable[tuple[str, str]], *, id: str | None = None) -> None:
        """`tabs`: (id, label) in order; the first is active."""
        super().__init__(id=id)
        self._labels = dict(tabs)
        self._hidden: set[str] = set()
        self._active = next(iter(self._labels), "")
        #: (start, end, id) of each shown label on the whole line, as last drawn; and the
        #: column of the line at the widget's left edge (a click finds its tab with them).
        self._spans: list[tuple[int, int, str]] = []
        self._scroll = 0

    @property
    def active(self) -> str:
        return self._active

    @active.setter
    def active(self, tab_id: str) -> None:
        if tab_id not in self._labels or tab_id in self._hidden:
            raise ValueError(f"no shown tab {tab_id!r}")
        self._activate(tab_id)

    @property
    def shown(self) -> list[str]:
        """The ids of the tabs not hidden, in order."""
        return [tab_id for tab_id in self._labels if tab_id not in self._hidden]

    def label(self, tab_id: str) -> str:
        return self._labels[tab_id]

    def relabel(self, tab_id: str, label: str) -> None:
        if self._labels[tab_id] != label:
            self._labels[tab_id] = label
            self.refresh()

    def show_tab(self, tab_id: str, shown: bool = True) -> None:
        """Show (or hide) a tab; hiding the active one makes the next shown one active."""
        if (tab_id not in self._hidden) == shown:
            return
        if shown:
            self._hidden.discard(tab_id)
            if not self._active:
                self._activate(tab_id)
        else:
            after = self._neighbour(tab_id, 1) if tab_id == self._active else self._active
            self._hidden.add(tab_id)
            self._activate("" if after == tab_id else after)
        self.refresh()

    def action_next(self) -> None:
        if self._active:
            self._activate(self._neighbour(self._active, 1))

    def action_previous(self) -> None:
        if self._active:
            self._activate(self._neighbour(self._active, -1))

    def action_first(self) -> None:
        if shown := self.shown:
            self._activate(shown[0])

    def action_last(self) -> None:
        if shown := self.shown:
            self._activate(shown[-1])

    def action_browse(self) -> None:
        self.post_message(self.Browse(self))

    def _neighbour(self, tab_id: str, step: int) -> str:
        """The shown tab `step` away from `tab_id`, round the ends."""
        order = list(self._labels)
        at = order.index(tab_id)
        for distance in range(1, len(order) + 1):
            candidate = order[(at + step * distance) % len(order)]
            if candidate not in self._hidden:
                return candidate
        return tab_id

    def _activate(self, tab_id: str) -> None:
        if tab_id != self._active:
            self._active = tab_id
            self.refresh()
            self.post_message(self.Changed(self, tab_id))

    def render(self) -> Text:
        line = Text(no_wrap=True, end="")
        spans: list[tuple[int, int, str]] = []
        tab = self.get_component_rich_style("tab-bar--tab")
        active = self.get_component_rich_style("tab-bar--active")
        for tab_id in self.shown:  # (each with a space either side: two between labels)
            start = len(line)
            line.append(f" {self._labels[tab_id]} ", active if tab_id == self._active else tab)
            spans.append((start, len(line), tab_id))
        self._spans = spans
        width = self.size.width
        if len(line) <= width or width < 3:
            self._scroll = 0
            return line
        # Wider than the screen: keep the active tab in view, and say there is more.
        start, end = next(((s, e) for s, e, i in spans if i == self._active), (0, 0))
        starts = [s for s, _, _ in spans]
        scroll = self._scroll
        if end > scroll + width - 1:  # (a column left for the › after it)
            scroll = end - width + 1
        scroll = min(scroll, len(line) - width, start)
        # From the start of a label (the ‹ over its leading space), never mid-word.
        self._scroll = scroll = min((s for s in starts if s >= scroll), default=start)
        more = self.get_component_rich_style("tab-bar--more")
        right = scroll + width
        if right < len(line):  # (cut after the last whole label, then the ›)
            right = max((e for s, e, _ in spans if s >= scroll and e < right), default=right - 1)
        shown = line[scroll:right]
        if scroll:
            shown = Text("‹", more) + shown[1:]
        if right < len(line):
            shown.pad_right(width - 1 - len(shown))
            shown.append("›", more)
        return shown

    def on_click(self, event: events.Click) -> None:
        column = event.x + self._scroll
        for start, end, tab_id in self._spans:
            if start <= column < end:
                self.focus()
                self._activate(tab_id)
                return
