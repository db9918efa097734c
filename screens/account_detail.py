"""One TikTok account in full: ownership, access granted, status and who works on it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from bc_tui.domain import labels
from bc_tui.domain.models import RelationType
from bc_tui.services.views import TikTokAccountRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain, relation_status

_OWNERSHIP_NOTE = {
    RelationType.OWNER_BC: "Claimed: this Business Center owns the account. No other Business "
    "Center can claim it.",
    RelationType.OWNER_INDIVIDUAL: "Access granted by the owner, who keeps the account and can "
    "revoke access at any time.",
    RelationType.OWNER_PARTNER: "Shared with this Business Center by a partner.",
}


class AccountDetail(ModalScreen[None]):
    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, row: TikTokAccountRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold")
        facts.add_column()
        facts.add_row("Name", plain(row.display_name or "—"))
        facts.add_row("Region", plain(row.region or "—"))
        facts.add_row("Ownership", plain(labels.RELATION_TYPE[row.relation_type]))
        facts.add_row("Status", relation_status(row.relation_status))
        facts.add_row("Access", plain(", ".join(row.scopes) or "—"))
        facts.add_row("Members", Text("\n".join(row.members) or "No one is assigned yet."))
        with Vertical(classes="dialog"):
            yield Static(plain(f"@{row.handle}"), classes="dialog-title")
            yield Static(facts, classes="dialog-body")
            yield Static(Text(_OWNERSHIP_NOTE[row.relation_type]), classes="dialog-note")
            yield Static("esc close", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
