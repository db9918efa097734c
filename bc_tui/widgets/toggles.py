"""Radio buttons and check boxes whose state shows without colour.

Textual draws the same mark in every toggle and tells on from off by its colour alone: on a
monochrome terminal, with NO_COLOR, or read back as text (a screen reader, a pasted
screen), every option of a RadioSet looked chosen. These draw the mark only when on."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class Choice(RadioButton):
    """A RadioButton showing ● only when chosen."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "●" if self.value else " "


class Tick(Checkbox):
    """A Checkbox showing ✓ only when ticked."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "✓" if self.value else " "
