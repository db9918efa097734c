"""One TikTok account in full: ownership, access granted, status and who works on it."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from bc_tui.domain import labels
from bc_tui.domain.models import (
    AssetType,
    AuthorizationRequest,
    RelationStatus,
    RelationType,
    RequestStatus,
)
from bc_tui.screens.asset_detail import AssetDialog
from bc_tui.screens.base import business_app
from bc_tui.services.views import TikTokAccountRow
from bc_tui.widgets.cells import plain, relation_status

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
            f"The request behind this entry {ended}. On TikTok accounts (2), a asks again and "
            "x clears the entry."
        )
    if row.relation_status is RelationStatus.PENDING:
        return "Waiting for the owner to approve on their phone: " + (
            "once they do, this Business Center owns the account."
            if claim
            else "they keep the account and can revoke access at any time."
        )
    if row.relation_status is RelationStatus.REJECTED:
        return "The owner declined. On TikTok accounts (2), a asks again and x clears the entry."
    if row.relation_status is RelationStatus.UNBOUND:
        return (
            "This link has ended: the owner revoked it, or it was removed here. On TikTok "
            "accounts (2), a asks again and x clears the entry."
        )
    return _OWNERSHIP_NOTE[row.relation_type]


class AccountDetail(AssetDialog):
    """The account's facts and its members; an Admin changes or removes their roles here."""

    # (opened from Assets too, where m does not assign TikTok accounts)
    ASSIGN_HINT = "m on TikTok accounts (2) assigns"

    BINDINGS = [
        Binding("r", "change_role", "Operator/Analyst"),
        Binding("x", "unassign", "Remove from account"),
    ]
    PALETTE = (
        ("Operator or Analyst", "Change the highlighted member's role here (r)", "change_role"),
        ("Remove from account", "Take the highlighted member's role away (x)", "unassign"),
    )

    def __init__(self, row: TikTokAccountRow) -> None:
        super().__init__(AssetType.TT_ACCOUNT, row.handle)
        self.row = row

    @property
    def named(self) -> str:
        return f"@{self.row.handle}"

    def show_facts(self) -> bool:
        """The account as it is now: its link may have been ended, claimed or approved since
        the dialog opened (in another app, or on the phone)."""
        app = business_app(self)
        handle = self.row.handle
        self.row = row = next(
            (row for row in app.services.views.tiktok_accounts(app.actor) if row.handle == handle),
            self.row,  # (gone from the list: cleared; what it was stays shown)
        )
        facts = self.facts_table()
        facts.add_row("Name", plain(row.display_name or "—"))
        facts.add_row("Region", plain(row.region or "—"))
        facts.add_row("Ownership", plain(labels.relation(row.relation_type, row.relation_status)))
        status = relation_status(row.relation_status)
        if row.relation_status is RelationStatus.PENDING and row.pending_until is None:
            status.append(" · stale", "dim")  # (as the list says: no live request behind it)
        facts.add_row("Status", status)
        facts.add_row("Access", plain(", ".join(row.scopes) or "—"))
        if row.partners:
            facts.add_row("Shared with", plain(", ".join(row.partners)))
        self.query_one("#asset-facts", Static).update(facts)
        last = app.services.linking.last_request(app.actor, row.handle)
        note = _note(row, last, app.services.clock.now())
        self.query_one("#asset-note", Static).update(Text(note))
        return row.relation_status is RelationStatus.BOUND  # (else m refuses)
