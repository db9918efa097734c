"""Assign a new member: people and a role for the selected TikTok accounts."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, RadioButton, RadioSet, SelectionList, Static

from bc_tui.domain import labels
from bc_tui.domain.models import AssetRole, AssetType
from bc_tui.screens.base import business_app
from bc_tui.styles import stylesheet

ROLES = (
    (AssetRole.OPERATOR, "Operator — view details, create Spark Ads with its posts, LIVE stats"),
    (AssetRole.ANALYST, "Analyst — view performance only"),
)


class AssignDialog(ModalScreen[int | None]):
    """Assigns in one service call; returns how many roles were given or changed."""

    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "assign", "Assign", priority=True),
    ]

    def __init__(self, handles: list[str]) -> None:
        super().__init__()
        self.handles = handles

    def compose(self) -> ComposeResult:
        app = business_app(self)
        people = app.services.views.assignable_members(app.actor)
        accounts = ", ".join(f"@{handle}" for handle in self.handles)
        with Vertical(classes="dialog"):
            yield Static(Text(f"Assign a new member to {accounts}"), classes="dialog-title")
            yield Static("Members (space selects)", classes="dialog-body")
            yield SelectionList[str](
                *((Text(f"{p.user_name} — {p.user_email}"), p.user_id) for p in people),
                id="people",
            )
            yield Static("Role", classes="dialog-body")
            with RadioSet(id="asset-role"):
                for index, (_, label) in enumerate(ROLES):
                    yield RadioButton(label, value=index == 0)
            error = Static(id="error", classes="dialog-error")
            error.display = False
            yield error
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Assign (enter)", id="assign", variant="primary")
            yield Static(
                f"{labels.count(len(self.handles), 'account')} · space picks people · "
                "tab moves · enter assigns",
                classes="dialog-keys",
            )
        yield Footer()

    @on(Button.Pressed, "#assign")
    def action_assign(self) -> None:
        app = business_app(self)
        people = list(self.query_one("#people", SelectionList).selected)
        role = ROLES[self.query_one("#asset-role", RadioSet).pressed_index][0]
        result = app.attempt(
            app.services.center.assign_members,
            AssetType.TT_ACCOUNT,
            self.handles,
            people,
            role,
            on_error=self._error,
        )
        if result.ok:
            self.dismiss(result.value)

    def _error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(message))
        error.display = True

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
