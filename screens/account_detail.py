"""One TikTok account in full: ownership, access granted, status and who works on it."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bc_tui.domain import labels
from bc_tui.domain.models import (
    AssetRole,
    AssetType,
    AuthorizationRequest,
    RelationStatus,
    RelationType,
    RequestStatus,
)
from bc_tui.domain.permissions import Action
from bc_tui.screens.base import business_app
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.dialog import Dialog
from bc_tui.services.views import TikTokAccountRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain, relation_status
from bc_tui.widgets.footer import KeysFooter

_OWNERSHIP_NOTE = {
    RelationType.OWNER_BC: "Claimed: this Business Center owns the account. No other Business "
    "Center can claim it.",
    RelationType.OWNER_INDIVIDUAL: "Access granted by the owner, who keeps the account and can "
    "revoke access at any time.",
    RelationType.OWNER_PARTNER: "Shared with this Business Center by a partner.",
}


def _note(row: TikTokAccountRow, last: AuthorizationRequest | None, now: datetime) -> str:
    """What the link means now: granted, waiting for the owner, declined, or ended (the
    note of a granted link on a declined one said the opposite of its status). A pending
    entry with no live code says what its last request came to: the list calls it stale."""
    claim = row.relation_type is RelationType.OWNER_BC
    if row.relation_status is RelationStatus.PENDING and row.pending_until is None:
        ended = "has ended or expired"
        if last is not None:
            status = last.status_at(now)
            if status is RequestStatus.FAILED and last.reason:
                # (what went wrong; not what to do about it in the QR dialog, now closed)
                why = last.reason.removeprefix("authorization failed: ").split(" — ")[0]
                ended = f"failed: {why}"
            elif status is RequestStatus.EXPIRED:
                ended = "expired before the owner approved it"
            elif status is RequestStatus.CANCELLED:
                ended = "was cancelled"
        return (
            f"The request behind this entry {ended}. Press a on the list to ask again, or x "
            "on the list to clear the entry."
        )
    if row.relation_status is RelationStatus.PENDING:
        return "Waiting for the owner to approve on their phone: " + (
            "once they do, this Business Center owns the account."
            if claim
            else "they keep the account and can revoke access at any time."
        )
    if row.relation_status is RelationStatus.REJECTED:
        return (
            "The owner declined. Press a on the list to ask again, or x on the list to clear "
            "the entry."
        )
    if row.relation_status is RelationStatus.UNBOUND:
        return (
            "This link has ended: the owner revoked it, or it was removed here. Press x on the "
            "list to clear the entry."
        )
    return _OWNERSHIP_NOTE[row.relation_type]


class AccountDetail(Dialog[None]):
    """The account's facts and its members; an Admin changes or removes their roles here."""

    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("r", "toggle_role", "Operator/Analyst"),
        Binding("x", "unassign", "Remove from account"),
    ]
    PALETTE = (
        ("Operator or Analyst", "Change the highlighted member's role here (r)", "toggle_role"),
        ("Remove from account", "Take the highlighted member's role away (x)", "unassign"),
    )

    def __init__(self, row: TikTokAccountRow) -> None:
        super().__init__()
        self.row = row
        self._members: list[tuple[str, str, AssetRole]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(f"@{self.row.handle}"), classes="dialog-title")
            yield Static(id="account-facts", classes="dialog-body")
            yield Static("Members", classes="dialog-body")
            yield OptionList(id="account-members")
            yield Static(id="account-note", classes="dialog-note")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """The account as it is now: its link may have been ended, claimed or approved since
        the dialog opened (in another app, or on the phone), as its members may change."""
        app = business_app(self)
        handle = self.row.handle
        self.row = next(
            (row for row in app.services.views.tiktok_accounts(app.actor) if row.handle == handle),
            self.row,  # (gone from the list: cleared; what it was stays shown)
        )
        self._show_facts()
        self._members = app.services.views.account_members(app.actor, handle)
        options = self.query_one("#account-members", OptionList)
        highlighted = options.highlighted or 0
        options.clear_options()
        for _, name, role in self._members:
            options.add_option(Option(plain(f"{name} — {labels.ASSET_ROLE[role]}")))
        options.disabled = not self._members  # (back on when someone is assigned again)
        if not self._members:
            active = self.row.relation_status is RelationStatus.BOUND  # (else m refuses)
            how = " (m on the list assigns)" if active else ""
            options.add_option(Option(Text(f"No one is assigned yet{how}.")))
        else:
            options.highlighted = min(highlighted, len(self._members) - 1)

    def _show_facts(self) -> None:
        app, row = business_app(self), self.row
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold")
        facts.add_column()
        facts.add_row("Name", plain(row.display_name or "—"))
        facts.add_row("Region", plain(row.region or "—"))
        facts.add_row("Ownership", plain(labels.relation(row.relation_type, row.relation_status)))
        facts.add_row("Status", relation_status(row.relation_status))
        facts.add_row("Access", plain(", ".join(row.scopes) or "—"))
        self.query_one("#account-facts", Static).update(facts)
        last = app.services.linking.last_request(app.actor, row.handle)
        note = _note(row, last, app.services.clock.now())
        self.query_one("#account-note", Static).update(Text(note))

    def _chosen(self) -> tuple[str, str, AssetRole] | None:
        index = self.query_one("#account-members", OptionList).highlighted
        if index is None or index >= len(self._members):
            return None
        return self._members[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_role", "unassign"):
            return business_app(self).may(Action.ASSIGN_MEMBER)
        return True

    def action_toggle_role(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        user_id, name, role = chosen
        new = AssetRole.ANALYST if role is AssetRole.OPERATOR else AssetRole.OPERATOR
        app = business_app(self)
        result = app.attempt(
            app.services.center.change_assignment_role,
            user_id,
            AssetType.TT_ACCOUNT,
            self.row.handle,
            new,
        )
        if result.ok:
            app.notify(f"{name} is now {labels.ASSET_ROLE[new]} on @{self.row.handle}.")
            self.reload()

    def action_unassign(self) -> None:
        chosen = self._chosen()
        app = business_app(self)
        if chosen is None or not app.explain_if_forbidden(Action.ASSIGN_MEMBER):
            return  # (from the palette, where the key's check does not apply: said first)
        user_id, name, _ = chosen

        def confirmed(yes: bool | None) -> None:
            if (
                yes
                and app.attempt(
                    app.services.center.unassign_member,
                    user_id,
                    AssetType.TT_ACCOUNT,
                    self.row.handle,
                ).ok
            ):
                self.reload()

        app.push_screen(
            ConfirmDialog(
                f"Remove {name} from @{self.row.handle}?",
                f"{name} loses their role on @{self.row.handle}; you can assign them again.",
                "Remove",
            ),
            confirmed,
        )

    def action_close(self) -> None:
        self.dismiss(None)
