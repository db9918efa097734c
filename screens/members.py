"""Members: everyone in the Business Center with their roles and how many assets they hold."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from bc_tui.domain import labels
from bc_tui.domain.permissions import Action
from bc_tui.screens.base import AreaScreen
from bc_tui.screens.invite import InviteDialog
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.services.members import Invitation
from bc_tui.services.views import MemberRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import member_status, plain
from bc_tui.widgets.summary import Summary
from bc_tui.widgets.table import VirtualTable


class MembersScreen(AreaScreen):
    AREA = "members"
    LABEL = "Members"
    FILTER_PLACEHOLDER = "Filter by name, email or role"
    CSS_PATH = stylesheet("members.tcss")
    BINDINGS = [
        Binding("i", "invite", "Invite"),
        Binding("enter", "details", "Details"),
    ]
    PALETTE = (
        ("Invite members", "Invite people by email, with a role", "invite"),
        ("Member details", "Roles and assets of the selected member", "details"),
    )

    def compose_body(self) -> ComposeResult:
        yield Summary()
        columns = ("Name", "Email", "Role", "Finance role", "Status", "Assets")
        yield VirtualTable(columns, _cells, key=_user_id, id="members")

    def load(self) -> None:
        app = self.bc_app
        rows = app.services.views.members(app.actor, self.query_text)
        self.query_one("#members", VirtualTable).show(rows)
        admins = sum(row.user_role.value == "ADMIN" for row in rows)
        summary = f"{labels.count(len(rows), 'member')} · {labels.count(admins, 'admin')}"
        if self.query_text:
            summary += f" · filter: {self.query_text}"
        self.query_one(Summary).say(Text(summary))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "invite":
            return self.bc_app.may(Action.INVITE_MEMBER)
        return super().check_action(action, parameters)

    @on(VirtualTable.RowSelected, "#members")
    def action_details(self) -> None:
        table: VirtualTable[MemberRow] = self.query_one("#members", VirtualTable)
        if table.row_count and not self.dialog_open:
            self.app.push_screen(MemberDialog(table.row_at(table.cursor_row).user_id))

    def action_invite(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.INVITE_MEMBER):
            return

        def done(result: Invitation | None) -> None:
            if result is None:
                return
            text = f"Invited {', '.join(self._email(m.user_id) for m in result.invited)}."
            if result.skipped:
                text += " Not invited: " + "; ".join(f"{e} ({why})" for e, why in result.skipped)
            app.notify(text, title="Invitation sent", timeout=10)

        app.push_screen(InviteDialog(), done)

    def _email(self, user_id: str) -> str:
        return self.bc_app.services.views.user(user_id).user_email


def _cells(row: MemberRow) -> tuple[Text, ...]:
    return (
        plain(row.user_name),
        plain(row.user_email),
        plain(labels.USER_ROLE[row.user_role]),
        plain(labels.FINANCE_ROLE[row.finance_role] if row.finance_role else "—"),
        member_status(row.relation_status, expired=row.invite_expired),
        plain(row.assets),
    )


def _user_id(row: MemberRow) -> str:
    return row.user_id
