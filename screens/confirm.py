"""Ask before anything destructive or permanent; returns True only on an explicit yes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from bc_tui.screens.base import business_app
from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain
from bc_tui.widgets.footer import KeysFooter


class _AnswerButton(Button, inherit_bindings=False):
    """A button of the question that enter does not press: enter is the dialog's yes, the
    focused button or not. Textual hands a key typed just before the dialog appeared on to
    the focused widget once it has: with Button's own enter that pressed Cancel, and the
    question vanished unanswered before anyone saw it."""


class ConfirmDialog(Dialog[bool]):
    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "confirm", "Confirm", priority=True),
    ]

    def __init__(self, title: str, body: str, confirm_label: str) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._confirm_label = confirm_label
        #: Whether a yes is taken now (see `on_mount`).
        self.ready = True

    def compose(self) -> ComposeResult:
        self.ready = business_app(self).confirm_dwell <= 0
        with Vertical(classes="dialog -danger"):
            yield Static(plain(self._title), classes="dialog-title")
            yield Static(Text(self._body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield _AnswerButton("Cancel (esc)", id="cancel")
                yield _AnswerButton(
                    f"{self._confirm_label} (enter)",
                    id="confirm",
                    variant="error",
                    disabled=not self.ready,
                )
        yield KeysFooter()  # (the screen's went: see `AreaScreen.on_screen_suspend`)

    def on_mount(self) -> None:
        """Take a yes only `confirm_dwell` seconds after the question is on screen.

        What this asks is permanent or destructive, and it often opens on an enter (the
        Claim ownership card, a row's details): a double tap of that enter, or the same
        enter twice in one burst over a slow SSH link, would answer a question nobody had
        read. Browsers hold their security prompts' buttons the same way."""
        if not self.ready:
            self.call_after_refresh(self.set_timer, business_app(self).confirm_dwell, self._take)

    def _take(self) -> None:
        self.ready = True
        self.query_one("#confirm", Button).disabled = False

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        if not self.ready:
            self.app.bell()  # too soon: the question has only just appeared
            return
        self.dismiss(True)

    @on(Button.Pressed, "#confirm")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(False)
