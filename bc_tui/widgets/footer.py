"""The key bar at the bottom: Textual's Footer, rebuilt only when the keys it shows change.

The stock Footer throws away and re-creates every key widget on each bindings signal — every
focus change, tab switch and return to a screen — even when the keys are the same. That was
most of the cost of switching screens (and a quarter of a UI test's time); comparing what
would be shown with what is shown costs microseconds.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


def _shown(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """Everything about the active bindings that the Footer draws."""
    return tuple(
        (binding.key, binding.description, binding.action, binding.show, enabled, tooltip)
        for _, binding, enabled, tooltip in screen.active_bindings.values()
    )


class KeysFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._drawn: tuple[tuple[object, ...], ...] | None = None

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._drawn = _shown(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            self._bindings_ready
            and self.is_attached
            and screen is self.screen
            and self._drawn == _shown(screen)
        ):
            return
        super().bindings_changed(screen)
