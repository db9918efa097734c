"""One member: roles, invitation, and every asset they work on; an Admin's actions on them."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from bc_tui.domain import labels
from bc_tui.domain.errors import NotFound
from bc_tui.domain.models import FinanceRole, MemberStatus, UserRole
from bc_tui.domain.permissions import Action
from bc_tui.screens.base import business_app
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.dialog import Dialog
from bc_tui.screens.picker import PickerDialog
from bc_tui.services import Actor
from bc_tui.services.views import MemberDetail
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import member_status, plain
from bc_tui.widgets.footer import KeysFooter

NO_FINANCE_ROLE = "none"


class MemberDialog(Dialog[None]):
    CSS_PATH = stylesheet("dialogs.tcss")
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("r", "role", "Admin/Standard"),
        Binding("f", "finance", "Finance role"),
        Binding("x", "remove", "Remove member"),
        Binding("s", "resend", "Resend invite"),
        Binding("v", "revoke", "Revoke invite"),
        Binding("c", "accept", "Accept (simulate)"),
    ]
    PALETTE = (
        ("Admin or Standard", "Make this member an Admin, or a Standard member (r)", "role"),
        ("Finance role", "Give or take Finance Manager or Finance Analyst (f)", "finance"),
        ("Remove member", "They leave the Business Center with their asset roles (x)", "remove"),
        ("Resend invitation", "Send a pending invitation again (s)", "resend"),
        ("Revoke invitation", "Withdraw a pending invitation (v)", "revoke"),
        ("Accept invitation (simulate)", "As the invited person would (c)", "accept"),
    )

    def __init__(self, user_id: str) -> None:
        super().__init__()
        self.user_id = user_id
        self.detail: MemberDetail | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(id="member-title", classes="dialog-title")
            yield Static(id="member-facts", classes="dialog-body")
            yield Static(id="member-assets", classes="dialog-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        app = business_app(self)
        try:
            self.detail = app.services.views.member_detail(app.actor, self.user_id)
        except NotFound as gone:  # removed (or the invitation revoked) in another app
            app.notify(str(gone), severity="warning")
            self.dismiss()
            return
        row = self.detail.member
        self.query_one("#member-title", Static).update(plain(row.user_name))
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold")
        facts.add_column()
        facts.add_row("Email", plain(row.user_email))
        facts.add_row("Role", plain(labels.USER_ROLE[row.user_role]))
        facts.add_row(
            "Finance role",
            plain(labels.FINANCE_ROLE[row.finance_role] if row.finance_role else "—"),
        )
        facts.add_row("Status", member_status(row.relation_status, expired=row.invite_expired))
        invited, expires = self.detail.invited_at, self.detail.invite_expires_at
        if invited and expires:
            # In the Business Center's time zone, as Activity and Billing show times (this
            # said UTC beside them), named here where there is room for it.
            zone = business_app(self).zone

            def when(moment: datetime) -> str:
                return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"

            facts.add_row("Invited", plain(when(invited)))
            facts.add_row("Expired" if row.invite_expired else "Expires", plain(when(expires)))
        self.query_one("#member-facts", Static).update(facts)
        assets = Table.grid(padding=(0, 2))
        assets.add_column()
        assets.add_column()
        assets.add_column(style="bold")
        for assignment in self.detail.assignments:
            assets.add_row(
                plain(labels.ASSET_TYPE[assignment.asset_type]),
                plain(assignment.name),
                plain(labels.ASSET_ROLE[assignment.role]),
            )
        hidden = self.detail.hidden
        if not self.detail.assignments and not hidden:
            if row.user_role is UserRole.ADMIN:
                note = "Admins see every asset."
            elif business_app(self).may(Action.ASSIGN_MEMBER):
                note = (
                    "No assets yet: joining assigns none. Select accounts on TikTok accounts "
                    "and press m to assign."
                )
            else:
                note = "No assets yet: joining assigns none, and an Admin assigns them."
            self.query_one("#member-assets", Static).update(Text(note, style="dim"))
        elif hidden:
            unseen = Text(
                f"{'and ' if self.detail.assignments else ''}{labels.count(hidden, 'role')} "
                "on assets not assigned to you",
                style="dim",
            )
            shown = Group(assets, unseen) if self.detail.assignments else unseen
            self.query_one("#member-assets", Static).update(shown)
        else:
            self.query_one("#member-assets", Static).update(assets)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.detail is None or action == "close":
            return True
        app = business_app(self)
        pending = self.detail.member.relation_status is MemberStatus.PENDING
        if action in ("resend", "revoke"):
            return pending and app.may(Action.INVITE_MEMBER)
        if action == "accept":
            return pending and not self.detail.member.invite_expired
        if action in ("role", "finance"):
            return app.may(Action.CHANGE_MEMBER_ROLE)
        if action == "remove":  # (not oneself: another Admin must)
            mine = self.user_id == app.actor.user_id
            return not pending and not mine and app.may(Action.REMOVE_MEMBER)
        return True

    def _done(self, ok: bool, message: str) -> None:
        if ok:
            business_app(self).notify(message)
            self.reload()

    def action_role(self) -> None:
        app = business_app(self)
        row = self.detail.member  # type: ignore[union-attr]
        new = UserRole.STANDARD if row.user_role is UserRole.ADMIN else UserRole.ADMIN

        def change(yes: bool | None = True) -> None:
            if yes:
                result = app.attempt(app.services.members.change_member_role, self.user_id, new)
                self._done(result.ok, f"{row.user_name} is now {labels.USER_ROLE[new]}.")

        if new is UserRole.ADMIN and row.relation_status is MemberStatus.BOUND:
            # Full control of the Business Center, for someone a re-sorted list may have put
            # under the cursor: asked first (an invited one is refused at once, as below).
            question = ConfirmDialog(
                f"Make {row.user_name} an Admin?",
                f"{row.user_name} gets full control of {app.title}: its members, assets, "
                "partners and settings, their own role and yours included (billing needs a "
                "finance role, for an Admin too).",
                "Make Admin",
            )
        elif self.user_id == app.actor.user_id and not self._last_admin():
            # Giving up one's own Admin role cannot be undone by oneself: asked first.
            question = ConfirmDialog(
                "Give up your Admin role?",
                f"You become a Standard member of {app.title}: you can no longer manage its "
                "members, assets or settings, and only another Admin can make you an Admin "
                "again.",
                "Give up Admin",
            )
        else:
            # (another Admin's role: this Admin can change it back; the last Admin's own: the
            # refusal says why at once, rather than after a question whose yes cannot be)
            change()
            return
        app.push_screen(question, change)

    def _last_admin(self) -> bool:
        app = business_app(self)
        return (
            sum(
                row.user_role is UserRole.ADMIN and row.relation_status is MemberStatus.BOUND
                for row in app.services.views.members(app.actor)
            )
            <= 1
        )

    def action_finance(self) -> None:
        app = business_app(self)
        row = self.detail.member  # type: ignore[union-attr]
        choices = [(NO_FINANCE_ROLE, "No finance role")] + [
            (role.value, labels.FINANCE_ROLE[role]) for role in FinanceRole
        ]
        current = row.finance_role.value if row.finance_role else NO_FINANCE_ROLE

        def chosen(value: str | None) -> None:
            if value is None or value == current:
                return
            role = None if value == NO_FINANCE_ROLE else FinanceRole(value)

            def change(yes: bool | None = True) -> None:
                if yes:
                    result = app.attempt(
                        app.services.members.change_finance_role, self.user_id, role
                    )
                    label = labels.FINANCE_ROLE[role] if role else "no finance role"
                    self._done(result.ok, f"{row.user_name} now has {label}.")

            if role is not FinanceRole.MANAGER:
                change()
                return
            # The Business Center's money, on one choice in a list: asked first, as Admin is.
            question = ConfirmDialog(
                f"Make {row.user_name} a Finance Manager?",
                f"{row.user_name} gets control of {app.title}'s money: its cards, moving money "
                "between it and its ad accounts, and how each ad account is billed.",
                "Make Finance Manager",
            )
            app.push_screen(question, change)

        app.push_screen(PickerDialog("Finance role", "Finance role", choices, current), chosen)

    def _refused(self, action: str) -> bool:
        """True (and why, said) if `action` is not for this member now: the palette runs an
        action where its key is off (`check_action`), and removing someone who was only
        invited went ahead, where the key would have offered revoking the invitation."""
        app = business_app(self)
        row = self.detail.member  # type: ignore[union-attr]
        if self.check_action(action, ()):
            return False
        needed = {
            "remove": Action.REMOVE_MEMBER,
            "resend": Action.INVITE_MEMBER,
            "revoke": Action.INVITE_MEMBER,
        }.get(action)
        if needed is not None and not app.may(needed):
            app.explain_if_forbidden(needed)
        elif action == "remove" and self.user_id == app.actor.user_id:
            app.notify(
                "You cannot remove yourself: ask another Admin to do it.", severity="warning"
            )
        elif row.relation_status is MemberStatus.PENDING:
            app.notify(
                f"{row.user_name} is invited and has not joined: revoke the invitation (v) "
                "instead.",
                severity="warning",
            )
        else:
            app.notify(
                f"{row.user_name} has joined: there is no invitation to {action}.",
                severity="warning",
            )
        return True

    def action_remove(self) -> None:
        if self._refused("remove"):
            return
        app = business_app(self)
        row = self.detail.member  # type: ignore[union-attr]
        count = len(self.detail.assignments)  # type: ignore[union-attr]

        def confirmed(yes: bool | None) -> None:
            if yes and app.attempt(app.services.members.remove_member, self.user_id).ok:
                app.notify(f"{row.user_name} was removed.")
                self.dismiss(None)

        app.push_screen(
            ConfirmDialog(
                f"Remove {row.user_name}?",
                f"{row.user_name} leaves {app.title}{_roles_lost(count)}. They can be "
                "invited again later.",
                "Remove member",
            ),
            confirmed,
        )

    def action_resend(self) -> None:
        if self._refused("resend"):
            return
        app = business_app(self)
        result = app.attempt(app.services.members.resend_invitation, self.user_id)
        self._done(result.ok, "Invitation sent again.")

    def action_revoke(self) -> None:
        if self._refused("revoke"):
            return
        app = business_app(self)
        row = self.detail.member  # type: ignore[union-attr]

        def confirmed(yes: bool | None) -> None:
            if yes and app.attempt(app.services.members.revoke_invitation, self.user_id).ok:
                app.notify(f"Invitation to {row.user_email} revoked.")
                self.dismiss(None)

        app.push_screen(
            ConfirmDialog(
                f"Revoke {row.user_name}'s invitation?",
                f"The invitation sent to {row.user_email} stops working, and any assets it "
                "came with are withdrawn.",
                "Revoke",
            ),
            confirmed,
        )

    def action_accept(self) -> None:
        """Simulate the invited person accepting (they act, not the admin)."""
        app = business_app(self)
        invitee = Actor(user_id=self.user_id, bc_id=app.actor.bc_id)
        result = app.attempt(app.services.members.accept_invitation, as_actor=invitee)
        self._done(result.ok, "Invitation accepted: the member is now active.")

    def action_close(self) -> None:
        self.dismiss(None)


def _roles_lost(count: int) -> str:
    """What a removed member loses besides their place: nothing, their one role, or all."""
    if count == 0:
        return ""
    if count == 1:
        return " and loses their asset role"
    return f" and loses their {count:,} asset roles"
