"""Invite members: one or more emails, a role and an optional finance role."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from bc_tui.domain.models import AssetType, FinanceRole, UserRole
from bc_tui.screens.assign import ROLES as ASSET_ROLES
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.services.members import Invitation, split_emails
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.pick_list import Item, PickList
from bc_tui.widgets.text_field import TextField
from bc_tui.widgets.toggles import Choice, Choices

ROLES = (
    (UserRole.STANDARD, "Standard — works on the assets assigned to them"),
    (UserRole.ADMIN, "Admin — manages members, assets and settings"),
)
FINANCE = (
    (None, "No finance role"),
    (FinanceRole.MANAGER, "Finance Manager — full payment control"),
    (FinanceRole.ANALYST, "Finance Analyst — views bills, invoices, transactions"),
)


class InviteDialog(FormDialog[Invitation]):
    """Sends the invitation itself, so a refusal shows here; returns what happened."""

    SUBMIT = "Invite"

    def compose(self) -> ComposeResult:
        app = business_app(self)
        allowed = app.services.views.business_center(app.actor.bc_id).allowed_email_domains
        with Vertical(classes="dialog"):
            yield Static("Invite members", classes="dialog-title")
            yield TextField(placeholder="name@company.com, another@company.com", id="emails")
            if allowed:  # (said before they are typed, not only when refused)
                yield Static(
                    f"Only addresses at {', '.join(allowed)} (Security settings).",
                    id="invite-domains",
                    classes="dialog-note",
                )
            yield Static("Role", classes="dialog-body")
            with Choices(id="role"):
                for index, (_, label) in enumerate(ROLES):
                    yield Choice(label, value=index == 0)
            yield Static("Finance role", classes="dialog-body")
            with Choices(id="finance"):
                for index, (_, label) in enumerate(FINANCE):
                    yield Choice(label, value=index == 0)
            yield Static("TikTok accounts that come with it (optional)", classes="dialog-body")
            app = business_app(self)
            yield PickList(
                "TikTok account",
                (
                    Item(f"@{row.asset_id}", row.asset_id)
                    for row in app.services.views.assignable_assets(app.actor, AssetType.TT_ACCOUNT)
                ),
                id="invite-assets",
            )
            with Choices(id="invite-asset-role"):
                for index, (_, label) in enumerate(ASSET_ROLES):
                    yield Choice(label, value=index == 0)
            yield self.error_line()
            yield from self.buttons()
            yield Static(
                "up to 50 emails · tab moves · ↑↓ pick a role · enter sends",
                classes="dialog-keys",
            )
        yield KeysFooter()

    def action_submit(self) -> None:
        app = business_app(self)
        role = ROLES[self.query_one("#role", RadioSet).pressed_index][0]
        finance = FINANCE[self.query_one("#finance", RadioSet).pressed_index][0]
        emails = split_emails(self.query_one("#emails", Input).value)
        chosen = self.query_one("#invite-assets", PickList).selected
        assets = tuple((AssetType.TT_ACCOUNT, handle) for handle in chosen)
        asset_role = ASSET_ROLES[self.query_one("#invite-asset-role", RadioSet).pressed_index][0]
        self.submit_to(
            app.services.members.invite_members,
            emails,
            role,
            finance,
            assets,
            asset_role,
        )
