"""Invite members: one or more emails, a role and an optional finance role."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, RadioButton, RadioSet, Static

from bc_tui.domain.models import FinanceRole, UserRole
from bc_tui.screens.base import business_app
from bc_tui.services.members import Invitation, split_emails
from bc_tui.styles import stylesheet

ROLES = (
    (UserRole.STANDARD, "Standard — works on the assets assigned to them"),
    (UserRole.ADMIN, "Admin — manages members, assets and settings"),
)
FINANCE = (
    (None, "No finance role"),
    (FinanceRole.MANAGER, "Finance Manager — full payment control"),
    (FinanceRole.ANALYST, "Finance Analyst — views bills, invoices, transactions"),
)


class InviteDialog(ModalScreen[Invitation | None]):
    """Sends the invitation itself, so a refusal shows here; returns what happened."""

    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "invite", "Invite", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Invite members", classes="dialog-title")
            yield Input(placeholder="name@company.com, another@company.com", id="emails")
            yield Static("Role", classes="dialog-body")
            with RadioSet(id="role"):
                for index, (_, label) in enumerate(ROLES):
                    yield RadioButton(label, value=index == 0)
            yield Static("Finance role", classes="dialog-body")
            with RadioSet(id="finance"):
                for index, (_, label) in enumerate(FINANCE):
                    yield RadioButton(label, value=index == 0)
            error = Static(id="error", classes="dialog-error")
            error.display = False
            yield error
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Invite (enter)", id="invite", variant="primary")
            yield Static(
                "up to 50 emails · tab moves · ↑↓ and space pick a role · enter sends",
                classes="dialog-keys",
            )
        yield Footer()

    @on(Button.Pressed, "#invite")
    def action_invite(self) -> None:
        app = business_app(self)
        role = ROLES[self.query_one("#role", RadioSet).pressed_index][0]
        finance = FINANCE[self.query_one("#finance", RadioSet).pressed_index][0]
        emails = split_emails(self.query_one("#emails", Input).value)
        result = app.attempt(
            app.services.members.invite_members, emails, role, finance, on_error=self._error
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
