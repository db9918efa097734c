"""The key bar at the bottom: one line that draws the keys Textual's Footer would, with the
key that lists every key first.

Textual's Footer is a container of one widget per key, thrown away and made again on each
bindings signal. Every widget is styled, laid out and painted on its own: at start-up the
eleven keys of an area were ~8 ms of the ~90 the first frame may take beyond a bare app's
(issue #8). This bar is one widget that draws the same cells, with the same theme
variables, and is drawn again only when what it shows changes. Mouse use is kept: a click
presses a key, the key under the pointer is highlighted and shows its tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import takewhile
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widget import Widget

#: The key that lists all the others: first in the bar, as F1 Help is in htop and mc, so that
#: a bar cut short by a narrow terminal (a screen's own keys come first) still shows it.
HELP_KEY = "question_mark"

_DIM = Style(dim=True)


class BarKey(NamedTuple):
    """One key as the bar draws it: cells `start` to `end` (the palette's key is the one
    drawn at the right-hand end)."""

    key: str  # as `App.simulate_key` takes it
    display: str  # as drawn: "?", "^p"
    description: str
    enabled: bool
    tooltip: str
    start: int = 0
    end: int = 0


class KeysFooter(Widget, can_focus=False):
    """The active bindings that are shown, one per action, as Textual's Footer draws them:
    " key description " each, and the command palette's key at the right-hand end."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--edge",
    }
    # Footer's and FooterKey's rules, on the parts of one widget.
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer-key--hover {
            background: $block-hover-background;
        }
        & > .footer-key--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._drawn: tuple[tuple[object, ...], ...] | None = None
        self._keys: list[BarKey] = []
        self._palette: BarKey | None = None
        self._hover: str | None = None  # the key under the pointer

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            screen is self.screen
            and self._drawn is not None
            and self._drawn != _shown(screen.active_bindings)
        ):
            self._drawn = None
            self.refresh()

    @property
    def keys(self) -> list[BarKey]:
        """The keys as drawn at the bar's width, in order, the palette's last. A key that
        does not fit whole before the palette's is left out, and so are those after it (a
        narrow terminal): half a key ("b S") said nothing; `?`, first, lists them all."""
        self._read_keys()
        width = self.size.width
        palette = self._palette
        room = width - (_palette_width(palette) if palette is not None else 0)
        shown = list(takewhile(lambda key: key.end <= room, self._keys))
        if palette is not None:
            shown.append(palette._replace(start=room, end=width))
        return shown

    def _read_keys(self) -> None:
        """The keys from the screen's active bindings, if they changed since last read."""
        screen = self.screen
        active = screen.active_bindings  # (worked out anew on each read)
        shown = _shown(active)
        if shown == self._drawn:
            return
        self._drawn = shown
        app = self.app
        first: dict[str, BarKey] = {}  # (a key per action: the first binding's)
        palette: BarKey | None = None
        for _node, binding, enabled, tooltip in active.values():
            key = BarKey(
                binding.key, app.get_key_display(binding), binding.description, enabled, tooltip
            )
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                tip = binding.tooltip or binding.description
                palette = key._replace(tooltip=tip)
            if binding.show:
                first.setdefault(binding.action, key)
        keys = sorted(first.values(), key=lambda key: key.key != HELP_KEY)  # (stable)
        at = 0
        for index, key in enumerate(keys):
            end = at + cell_len(key.display) + cell_len(key.description) + 3
            keys[index] = key._replace(start=at, end=end)
            at = end
        self._keys = keys
        self._palette = palette
        self._hover = None

    def render(self) -> Text:
        keys = self.keys
        palette = keys.pop() if self._palette is not None else None
        line = Text(no_wrap=True, end="")
        for key in keys:
            line.append_text(self._draw_key(key, f" {key.display} ", f"{key.description} "))
        room = self.size.width - (_palette_width(palette) if palette is not None else 0)
        line.truncate(max(0, room), pad=True)
        if palette is not None:
            edge = self.get_component_rich_style("footer-key--edge")
            # Compact, as Footer draws it: no padding round the key, a cell after the word.
            drawn = self._draw_key(palette, palette.display, f" {palette.description}", end=" ")
            line.append_text(Text.assemble(("▏", edge), drawn))  # (its border-left)
        return line

    def _draw_key(self, key: BarKey, display: str, description: str, end: str = "") -> Text:
        """One key's cells: dim if the key is off (FooterKey's -disabled), on the hover
        background under the pointer (FooterKey's :hover; its parts' own backgrounds are the
        theme's transparent ones, so the hover shows through all of them)."""
        part = Text.assemble(
            (display, self.get_component_rich_style("footer-key--key")),
            (description, self.get_component_rich_style("footer-key--description")),
            end,
        )
        part.stylize_before(self.rich_style + _DIM if not key.enabled else self.rich_style)
        if key.key == self._hover:
            hover = self.get_component_rich_style("footer-key--hover")
            part.stylize(Style(bgcolor=hover.bgcolor))
        return part

    def _at(self, x: int) -> BarKey | None:
        """The key drawn at cell `x`, if any."""
        return next((key for key in self.keys if key.start <= x < key.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._at(event.x)
        self.tooltip = (key.tooltip or None) if key is not None else None
        hover = key.key if key is not None else None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()


def _palette_width(palette: BarKey) -> int:
    """The palette's key: an edge, the key, a space, its word and a space."""
    return cell_len(palette.display) + cell_len(palette.description) + 3


def _shown(active: Mapping[str, ActiveBinding]) -> tuple[tuple[object, ...], ...]:
    """Everything about the active bindings that the bar draws."""
    return tuple(
        (binding.key, binding.description, binding.action, binding.show, enabled, tooltip)
        for _, binding, enabled, tooltip in active.values()
    )
