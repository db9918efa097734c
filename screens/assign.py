"""Assign a new member: people and a role for the selected TikTok accounts or ad accounts."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import RadioSet, Static

from bc_tui.domain import labels
from bc_tui.domain.models import AssetRole, AssetType
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.services import Actor
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.pick_list import Item, PickList
from bc_tui.widgets.toggles import Choice, Choices

ROLES = (
    (AssetRole.OPERATOR, "Operator — view details, create Spark Ads with its posts, LIVE stats"),
    (AssetRole.ANALYST, "Analyst — view performance only"),
)
#: The roles on an ad account, with what each may do.
AD_ACCOUNT_ROLES = (
    (AssetRole.ADMIN, "Admin — ads, reports, audiences, finance and settings"),
    (AssetRole.OPERATOR, "Operator — ads, reports and audiences"),
    (AssetRole.ANALYST, "Analyst — view only"),
)


#: The roles on a pixel, catalog or audience.
ASSET_ROLES = (
    (AssetRole.ADMIN, "Admin — manage it, its settings and who uses it"),
    (AssetRole.OPERATOR, "Operator — use it in ads"),
    (AssetRole.ANALYST, "Analyst — view only"),
)


class AssignDialog(FormDialog[str]):
    """Assigns in one service call; returns what was done, in words for a notice (who has
    which role on what: "1 role given or changed" did not say)."""

    SUBMIT = "Assign"

    def __init__(
        self, handles: list[str], asset_type: AssetType = AssetType.TT_ACCOUNT, names: str = ""
    ) -> None:
        """`handles`: the asset ids; `names`: how to call them in the title (default @ids)."""
        super().__init__()
        self.handles = handles
        self.asset_type = asset_type
        tiktok = asset_type is AssetType.TT_ACCOUNT
        self.roles = (
            ROLES
            if tiktok
            else (AD_ACCOUNT_ROLES if asset_type is AssetType.ADVERTISER else ASSET_ROLES)
        )
        # The walkthrough's usual choice on a TikTok account; the least power on the rest.
        self.default = 0 if tiktok else len(self.roles) - 1
        self.names = names or ", ".join(f"@{handle}" for handle in handles)

    def compose(self) -> ComposeResult:
        app = business_app(self)
        people = app.services.views.assignable_members(app.actor)
        self._names = {person.user_id: person.user_name for person in people}
        held = app.services.views.roles_on(app.actor, self.asset_type, self.handles)
        accounts = self.names
        with Vertical(classes="dialog"):
            yield Static(Text(f"Assign a new member to {accounts}"), classes="dialog-title")
            yield Static("Members", classes="dialog-body")
            holds = self._holds
            yield PickList(
                "Member",
                (
                    Item(f"{p.user_name} — {p.user_email}{holds(held.get(p.user_id))}", p.user_id)
                    for p in people
                ),
                id="people",
            )
            if not people:
                yield Static(
                    "Nobody to assign yet: Admins see every asset already, and there is no "
                    "Standard member. Invite people on Members (3, then i).",
                    classes="dialog-note",
                )
            yield Static("Role", classes="dialog-body")
            with Choices(id="asset-role"):
                for role, label in self.roles:
                    yield Choice(label, value=role is self.roles[self.default][0])
            yield self.error_line()
            yield from self.buttons()
            yield Static(
                f"{labels.count(len(self.handles), labels.asset_noun(self.asset_type))} · "
                "tab moves · enter assigns",
                classes="dialog-keys",
            )
        yield KeysFooter()

    def _holds(self, roles: list[AssetRole] | None) -> str:
        """What a member holds here already, which Assign would change to its role: the
        dialog said nothing, and giving Analyst lowered an Operator unseen."""
        if not roles:
            return ""
        if len(self.handles) == 1:
            return f" · {labels.ASSET_ROLE[roles[0]]} now"
        return f" · a role on {len(roles)} of {len(self.handles)}"

    def action_submit(self) -> None:
        app = business_app(self)
        people = self.query_one("#people", PickList).selected
        role = self.roles[self.query_one("#asset-role", RadioSet).pressed_index][0]

        def assign(actor: Actor, *args: Any) -> str:
            return self._done(app.services.center.assign_members(actor, *args), people, role)

        self.submit_to(assign, self.asset_type, self.handles, people, role)

    def _done(self, changed: int, people: list[str], role: AssetRole) -> str:
        """What Assign did, for its notice."""
        named = labels.ASSET_ROLE[role]
        if not changed:
            who = self._names.get(people[0], "") if len(people) == 1 else ""
            return f"Nothing changed: {f'{who} is' if who else 'they are'} {named} there already."
        if len(people) == 1 and len(self.handles) == 1:
            return f"{self._names.get(people[0], 'They')} is now {named} on {self.names}."
        who = (
            self._names.get(people[0], "1 member")
            if len(people) == 1
            else labels.count(len(people), "member")
        )
        on = labels.count(len(self.handles), labels.asset_noun(self.asset_type))
        return f"{labels.count(changed, 'role')} given or changed: {named} for {who} on {on}."
