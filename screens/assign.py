"""Assign a new member: people and a role for the selected TikTok accounts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, RadioButton, RadioSet, SelectionList, Static

from bc_tui.domain import labels
from bc_tui.domain.models import AssetRole, AssetType
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog

ROLES = (
    (AssetRole.OPERATOR, "Operator — view details, create Spark Ads with its posts, LIVE stats"),
    (AssetRole.ANALYST, "Analyst — view performance only"),
)


class AssignDialog(FormDialog[int]):
    """Assigns in one service call; returns how many roles were given or changed."""

    SUBMIT = "Assign"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "submit", "Assign", priority=True),
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
            yield self.error_line()
            yield from self.buttons()
            yield Static(
                f"{labels.count(len(self.handles), 'account')} · space picks people · "
                "tab moves · enter assigns",
                classes="dialog-keys",
            )
        yield Footer()

    def action_submit(self) -> None:
        app = business_app(self)
        people = list(self.query_one("#people", SelectionList).selected)
        role = ROLES[self.query_one("#asset-role", RadioSet).pressed_index][0]
        result = app.attempt(
            app.services.center.assign_members,
            AssetType.TT_ACCOUNT,
            self.handles,
            people,
            role,
            on_error=self.show_error,
        )
        if result.ok:
            self.dismiss(result.value)
