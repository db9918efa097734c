"""Members: everyone in the Business Center with their roles and how many assets they hold."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from bc_tui.domain import labels
from bc_tui.domain.models import FinanceRole, MemberStatus, UserRole
from bc_tui.domain.permissions import Action
from bc_tui.screens.base import AreaScreen
from bc_tui.screens.invite import InviteDialog
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.services.members import Invitation
from bc_tui.services.views import MemberRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import clip, member_status, plain
from bc_tui.widgets.summary import Summary
from bc_tui.widgets.table import VirtualTable, distinct


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
        yield VirtualTable(columns, _cells, key=_user_id, texts=_column_texts, id="members")

    def load(self) -> None:
        app = self.bc_app
        rows = app.services.views.members(app.actor, self.query_text)
        self.set_viewable(app.may(Action.VIEW_ASSETS))  # (invited, not joined: no rows)
        table = self.query_one("#members", VirtualTable)
        at = table.cursor_key
        table.show(rows)
        # The cursor stays with its member: a change of role re-sorts the list (Admins
        # first), and by row number it was left on someone else, whom enter then x acted on.
        with suppress(KeyError):  # (gone, or filtered out: the row number stays)
            table.move_cursor(row=table.row_index(at))
        # Admins who have joined: an Admin still invited cannot act yet, and with one who
        # has, "2 admins" stood beside "the last Admin cannot be demoted".
        admins = sum(
            row.user_role is UserRole.ADMIN and row.relation_status is MemberStatus.BOUND
            for row in rows
        )
        invited = sum(row.relation_status is MemberStatus.PENDING for row in rows)
        summary = f"{labels.count(len(rows), 'member')} · {labels.count(admins, 'admin')}"
        if invited:
            summary += f" · {invited:,} invited"
        allowed = app.services.views.business_center(app.actor.bc_id).allowed_email_domains
        if allowed:  # (Security settings)
            summary += f" · new members only at {', '.join(allowed)}"
        if self.query_text:
            summary += f" · filter: {self.query_text}"
        if not rows and not self.query_text and not app.may(Action.VIEW_ASSETS):
            summary = self.not_joined("members")
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
        plain(clip(row.user_name)),
        plain(row.user_email),
        plain(labels.USER_ROLE[row.user_role]),
        plain(_finance_text(row.finance_role)),
        member_status(row.relation_status, expired=row.invite_expired),
        plain(row.assets),
    )


def _column_texts(rows: Sequence[MemberRow]) -> tuple[list[str], ...]:
    """Each column's texts over `rows`, as `_cells` shows them: what the table measures,
    each distinct text once (1,000 members in ~2 ms, where making every row's cells to
    measure them took ~11 on each reload)."""
    return (
        distinct(rows, clip, "user_name"),
        distinct(rows, str, "user_email"),
        distinct(rows, labels.USER_ROLE.__getitem__, "user_role"),
        distinct(rows, _finance_text, "finance_role"),
        distinct(rows, _status_text, "relation_status", "invite_expired"),
        distinct(rows, str, "assets"),
    )


def _finance_text(role: FinanceRole | None) -> str:
    return labels.FINANCE_ROLE[role] if role else "—"


def _status_text(status: MemberStatus, expired: bool) -> str:
    return member_status(status, expired=expired).plain


def _user_id(row: MemberRow) -> str:
    return row.user_id
