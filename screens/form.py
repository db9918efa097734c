"""The shape every form dialog shares: enter submits, escape cancels, a refusal shows in place.

The dialog asks a service to do the thing itself (so the service's message, naming the field
and the fix, appears right where the person can correct it) and dismisses with the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from bc_tui.screens.base import business_app
from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet

T = TypeVar("T")


class FormDialog(Dialog[T | None]):
    """Subclasses say what submitting does (`SUBMIT`) and implement `action_submit`: escape
    cancels, enter submits (once the keys typed before it are in, `after_typing`)."""

    CSS_PATH = stylesheet("dialogs.tcss")
    SUBMIT = "OK"  # the submit button's words, and enter's in the key bar
    #: The field a refusal names ("security code: is not valid") -> its input, which takes
    #: the focus: it stayed where it was, and what was typed next went into another field.
    FIELDS: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual's own: it merges each class's BINDINGS as the class is made.
        if "BINDINGS" not in cls.__dict__:
            cls.BINDINGS = [
                Binding("escape", "cancel", "Cancel"),
                Binding("enter", "after_typing('submit')", cls.SUBMIT, priority=True),
            ]
        super().__init_subclass__(**kwargs)

    def error_line(self) -> Static:
        error = Static(id="error", classes="dialog-error")
        error.display = False
        return error

    def buttons(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button("Cancel (esc)", id="cancel")
            yield Button(f"{self.SUBMIT} (enter)", id="submit", variant="primary")

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(message))
        error.display = True
        named = self.FIELDS.get(message.partition(":")[0])
        if named is not None:
            self.query_one(named).focus()
        # A tall dialog on a small terminal scrolls to show it, once it is laid out; after
        # the refresh, in turn with `_typing_in_view`, so a key typed right after enter
        # (held until the submit has run) is still seen going in.
        self.call_after_refresh(error.scroll_visible, animate=False, immediate=True)

    def action_submit(self) -> None:
        raise NotImplementedError

    def submit_to(self, use_case: Callable[..., T], *args: Any) -> None:
        """Run the service's use case as the acting user: refused, its message shows here;
        done, the dialog closes with what it returned."""
        result = business_app(self).attempt(use_case, *args, on_error=self.show_error)
        if result.ok:
            self.dismiss(result.value)

    @on(Input.Changed)
    def _typing_in_view(self, event: Input.Changed) -> None:
        """What is typed is seen: a refusal scrolls a tall dialog down to its message (at
        80x24), and the field that kept the focus took the keys out of sight."""
        if event.input.has_focus:
            self.call_after_refresh(event.input.scroll_visible, animate=False, immediate=True)

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        if not self.closing:  # a second click, handled before the dialog went: done once
            self.action_submit()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
