"""The baseline: a bare Textual app (Header, Footer, one Static), as the issue defines it.

Variants give the baseline for the in-app measurements: an Input whose every change updates
the Static (typing), and five such screens as modes switched by 1-5 (screen switch).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

#: Set by the benchmark: called after a change has been handled (the bc-tui side is hooked
#: at the same point: its screen's load, its screen's resume).
on_handled: Callable[[Screen[None]], None] | None = None


class BareScreen(Screen[None]):
    AUTO_FOCUS = ""  # keys 1-5 switch screens; the typing benchmark focuses the Input

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="filter")
        yield Static("Hello, world", id="body")
        yield Footer()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#body", Static).update(event.value)
        if on_handled is not None:
            on_handled(self)

    def on_screen_resume(self) -> None:
        if on_handled is not None:
            on_handled(self)


class BareApp(App[None]):
    """Header, Footer and one Static: the app the start-up target compares against."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello, world")
        yield Footer()


class BareModesApp(App[None]):
    """Five bare screens as modes on keys 1-5, with an Input to type into."""

    MODES = {str(number): BareScreen for number in range(1, 6)}
    DEFAULT_MODE = "1"
    BINDINGS = [Binding(str(n), f"switch_mode('{n}')", show=False) for n in range(1, 6)]
