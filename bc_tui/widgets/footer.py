"""The key bar at the bottom: Textual's Footer, rebuilt only when the keys it shows change,
with the key that lists every key first.

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
from textual.widgets._footer import FooterKey  # (not exported by textual.widgets)


def _shown(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """Everything about the active bindings that the Footer draws."""
    return tuple(
        (binding.key, binding.description, binding.action, binding.show, enabled, tooltip)
        for _, binding, enabled, tooltip in screen.active_bindings.values()
    )


#: The key that lists all the others: first in the bar, as F1 Help is in htop and mc, so that
#: a bar cut short by a narrow terminal (a screen's own keys come first) still shows it.
HELP_KEY = "question_mark"


def _is_help(widget: object) -> bool:
    return isinstance(widget, FooterKey) and widget.key == HELP_KEY


class KeysFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._drawn: tuple[tuple[object, ...], ...] | None = None

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._drawn = _shown(self.screen)
        widgets = list(super().compose())
        widgets.sort(key=lambda widget: not _is_help(widget))  # (stable: the rest keep order)
        for widget in widgets:
            if isinstance(widget, FooterKey):
                # Each key as it ends up once mounted: Footer's compact (a binding) but for the
                # palette key, which keeps its own. Set after mounting, by the reactive's first
                # watch and then the binding, each restyled every key twice (~10 ms a footer).
                palette = widget.has_class("-command-palette")
                compact = widget.compact if palette else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            self._bindings_ready
            and self.is_attached
            and screen is self.screen
            and self._drawn == _shown(screen)
        ):
            return
        super().bindings_changed(screen)
