"""Radio buttons and check boxes whose state shows without colour, and radio sets whose
arrow keys choose.

Textual draws the same mark in every toggle and tells on from off by its colour alone: on a
monochrome terminal, with NO_COLOR, or read back as text (a screen reader, a pasted
screen), every option of a RadioSet looked chosen. These draw the mark only when on."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Checkbox, RadioButton, RadioSet


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


class Choices(RadioSet):
    """A RadioSet whose arrow keys choose the next or previous option, as a radio group's
    do in other programs. Textual's only move a highlight, and only space chooses: with
    enter sending the form, ↓ to Refund then enter made a recharge, ↓ to Analyst gave the
    Operator role, and the highlight showed the option that was not sent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "choose(1)", "Next option", show=False),
        Binding("up,left", "choose(-1)", "Previous option", show=False),
    ]

    def on_mount(self) -> None:
        # Textual highlights the first option whichever is chosen: with Analyst chosen and
        # Admin highlighted, ↓ (from the choice) chose Admin. The highlight starts on the
        # choice, once RadioSet's own mount handler (run after this one) has made its own.
        self.call_later(self._highlight_choice)

    def _highlight_choice(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index  # (RadioSet's highlight: no public setter)

    def action_choose(self, step: int) -> None:
        """Choose the option `step` away from the chosen one (round the end; not disabled
        ones). The highlight follows the choice (RadioSet's own handler)."""
        options = [option for option in self.query(RadioButton) if not option.disabled]
        if not options:
            return
        chosen = self.pressed_button
        at = options.index(chosen) if chosen in options else (-1 if step > 0 else 0)
        options[(at + step) % len(options)].value = True
