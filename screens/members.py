"""Members: everyone in the Business Center with their roles and how many assets they hold."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from bc_tui.domain import labels
from bc_tui.screens.base import AreaScreen
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import member_status, plain


class MembersScreen(AreaScreen):
    AREA = "members"
    LABEL = "Members"
    FILTER_PLACEHOLDER = "Filter by name, email or role"
    CSS_PATH = stylesheet("members.tcss")

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary")
        columns = ("Name", "Email", "Role", "Finance role", "Status", "Assets")
        yield self.row_table("members", columns)

    def load(self) -> None:
        app = self.bc_app
        rows = app.services.views.members(app.actor, self.query_text)
        table = self.query_one("#members", DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                plain(row.user_name),
                plain(row.user_email),
                plain(labels.USER_ROLE[row.user_role]),
                plain(labels.FINANCE_ROLE[row.finance_role] if row.finance_role else "—"),
                member_status(row.relation_status),
                plain(row.assets),
                key=row.user_id,
            )
        admins = sum(row.user_role.value == "ADMIN" for row in rows)
        summary = f"{labels.count(len(rows), 'member')} · {labels.count(admins, 'admin')}"
        if self.query_text:
            summary += f" · filter: {self.query_text}"
        self.query_one("#summary", Static).update(Text(summary))
