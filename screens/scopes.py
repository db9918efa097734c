"""Request access, step two: what the Business Center may use, then Generate QR code."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Static

from bc_tui.domain.models import AuthorizationRequest, RequestKind, TtAccountRole
from bc_tui.screens.base import business_app
from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.toggles import Tick

SCOPES = (
    (TtAccountRole.POST, "Spark Ads", "use the account's existing posts in campaigns"),
    (TtAccountRole.LIVE, "LIVE ads", "promote the account's LIVE videos"),
)


class ScopesDialog(Dialog[AuthorizationRequest | None]):
    """Creates the request itself (so a refusal is shown here) and returns it."""

    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "after_typing('generate')", "Generate QR code", priority=True),
        # Between the boxes, as in the other dialogs' lists (only tab moved, and ↓ then
        # space toggled the same box back).
        Binding("down", "app.focus_next", "Next", show=False),
        Binding("up", "app.focus_previous", "Previous", show=False),
    ]

    def __init__(
        self, handle: str, scopes: tuple[TtAccountRole, ...] = (TtAccountRole.POST,)
    ) -> None:
        """`scopes`: ticked to start with (as they were left, when the user went back a step
        and came here again)."""
        super().__init__()
        self.handle = handle
        self.scopes = scopes

    def compose(self) -> ComposeResult:
        yield KeysFooter()
        with Vertical(classes="dialog"):
            yield Static(Text(f"Request access to @{self.handle}"), classes="dialog-title")
            yield Static("What may this Business Center use?", classes="dialog-body")
            for scope, label, meaning in SCOPES:
                yield Tick(f"{label} — {meaning}", value=scope in self.scopes, id=scope.value)
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Generate QR code (enter)", id="generate", variant="primary")
            yield Static(
                "↑↓ move · space toggles · enter generates the code", classes="dialog-keys"
            )

    def chosen(self) -> tuple[TtAccountRole, ...]:
        return tuple(
            scope for scope, _, _ in SCOPES if self.query_one(f"#{scope.value}", Checkbox).value
        )

    @on(Button.Pressed, "#generate")
    def action_generate(self) -> None:
        if self.closing:  # a second click, handled before the dialog went: one request only
            return
        app = business_app(self)
        result = app.attempt(
            app.services.linking.request_authorization,
            self.handle,
            RequestKind.REQUEST_ACCESS,
            self.chosen(),
            on_error=lambda message: self.query_one("#error", Static).update(Text(message)),
        )
        if result.ok:
            self.dismiss(result.value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.scopes = self.chosen()  # (for the next time, if the user comes back)
        self.dismiss(None)
