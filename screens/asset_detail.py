"""One asset in full and who works on it; an Admin changes or removes their roles here.

`AssetDialog` is what every asset's details share (its members, r, x); `AssetDetail` is an ad
account's, a pixel's, a catalog's or an audience's (Assets, enter), and `AccountDetail` a
TikTok account's. Before it, a role on any but a TikTok account could not be taken back.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bc_tui.domain import labels
from bc_tui.domain.models import AssetRole, AssetType, RelationStatus
from bc_tui.domain.permissions import Action
from bc_tui.screens.base import business_app
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.dialog import Dialog
from bc_tui.services.assignments import ROLES_FOR_ASSET
from bc_tui.services.views import AssetRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain
from bc_tui.widgets.footer import KeysFooter


class AssetDialog(Dialog[None]):
    """An asset's facts (`show_facts`) over the members who hold a role on it."""

    CSS_PATH = stylesheet("dialogs.tcss")
    ASSIGN_HINT = "m on the list assigns"  # (where to assign, said while nobody is)
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("r", "change_role", "Change role"),
        Binding("x", "unassign", "Remove from asset"),
    ]
    PALETTE = (
        ("Change role", "Give the highlighted member the next role here (r)", "change_role"),
        ("Remove from asset", "Take the highlighted member's role away (x)", "unassign"),
    )

    def __init__(self, asset_type: AssetType, asset_id: str) -> None:
        super().__init__()
        self.asset_type = asset_type
        self.asset_id = asset_id
        self._members: list[tuple[str, str, AssetRole]] = []

    @property
    def named(self) -> str:
        """The asset as a sentence names it."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(classes="dialog-title", id="asset-title")
            yield Static(id="asset-facts", classes="dialog-body")
            yield Static("Members", classes="dialog-body")
            yield OptionList(id="asset-members")
            yield Static(id="asset-note", classes="dialog-note")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()

    def show_facts(self) -> bool:
        """Show the asset as it is now (it may have changed in another app since the dialog
        opened); whether it is active, the only state in which m assigns."""
        raise NotImplementedError

    def reload(self) -> None:
        app = business_app(self)
        self.query_one("#asset-title", Static).update(plain(self.named))
        active = self.show_facts()
        self._members = app.services.views.asset_members(app.actor, self.asset_type, self.asset_id)
        options = self.query_one("#asset-members", OptionList)
        highlighted = options.highlighted or 0
        options.clear_options()
        for _, name, role in self._members:
            options.add_option(Option(plain(f"{name} — {labels.ASSET_ROLE[role]}")))
        options.disabled = not self._members  # (back on when someone is assigned again)
        if not self._members:
            how = f" ({self.ASSIGN_HINT})" if active else ""
            options.add_option(Option(Text(f"No one is assigned yet{how}.")))
        else:
            options.highlighted = min(highlighted, len(self._members) - 1)
        self.refresh_bindings()

    def facts_table(self) -> Table:
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold")
        facts.add_column()
        return facts

    def _chosen(self) -> tuple[str, str, AssetRole] | None:
        index = self.query_one("#asset-members", OptionList).highlighted
        if index is None or index >= len(self._members):
            return None
        return self._members[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("change_role", "unassign"):
            return business_app(self).may(Action.ASSIGN_MEMBER) and bool(self._members)
        return True

    def action_change_role(self) -> None:
        """The next role this kind of asset has (Operator and Analyst on a TikTok account;
        Admin, Operator and Analyst on the others), round again after the last."""
        chosen = self._chosen()
        app = business_app(self)
        if chosen is None or not app.explain_if_forbidden(Action.ASSIGN_MEMBER):
            return
        user_id, name, role = chosen
        roles = ROLES_FOR_ASSET[self.asset_type]
        new = roles[(roles.index(role) + 1) % len(roles)] if role in roles else roles[0]

        def change(yes: bool | None = True) -> None:
            if not yes:
                return
            result = app.attempt(
                app.services.center.change_assignment_role,
                user_id,
                self.asset_type,
                self.asset_id,
                new,
            )
            if result.ok:  # (shown again as the change is heard: `Dialog.on_data_changed`)
                app.notify(f"{name} is now {labels.ASSET_ROLE[new]} on {self.named}.")

        if new is not AssetRole.ADMIN:
            change()
            return
        # r goes round the roles, from Analyst on to Admin: full control, on one key
        # (for someone a re-sorted list may have put under the cursor), so asked first.
        app.push_screen(
            ConfirmDialog(
                f"Make {name} an Admin of {self.named}?",
                f"{name} gets full control of {self.named}, who else works on it included.",
                "Make Admin",
            ),
            change,
        )

    def action_unassign(self) -> None:
        chosen = self._chosen()
        app = business_app(self)
        if chosen is None or not app.explain_if_forbidden(Action.ASSIGN_MEMBER):
            return  # (from the palette, where the key's check does not apply: said first)
        user_id, name, _ = chosen

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            result = app.attempt(  # (shown again as it is back on top: `on_screen_resume`)
                app.services.center.unassign_member, user_id, self.asset_type, self.asset_id
            )
            if result.ok:  # (as a change of role says what it did)
                app.notify(f"{name} no longer has a role on {self.named}.")

        app.push_screen(
            ConfirmDialog(
                f"Remove {name} from {self.named}?",
                f"{name} loses their role on {self.named}; you can assign them again.",
                "Remove",
            ),
            confirmed,
        )

    def action_close(self) -> None:
        self.dismiss(None)


class AssetDetail(AssetDialog):
    """An ad account, pixel, catalog or audience (Assets, enter)."""

    def __init__(self, row: AssetRow) -> None:
        super().__init__(row.asset_type, row.asset_id)
        self.row = row

    @property
    def named(self) -> str:
        return f"{labels.ASSET_TYPE[self.asset_type]} {self.row.name}"

    def show_facts(self) -> bool:
        app = business_app(self)
        now = app.services.views.asset_row(app.actor, self.asset_type, self.asset_id)
        self.row = now or self.row  # (gone from the list: what it was stays shown)
        row = self.row
        facts = self.facts_table()
        facts.add_row("Name", plain(row.name))
        facts.add_row("ID", plain(row.asset_id))
        facts.add_row("Ownership", plain(labels.relation(row.relation_type, row.relation_status)))
        status = labels.RELATION_STATUS[row.relation_status]
        if row.account_status is not None and row.relation_status is RelationStatus.BOUND:
            status = labels.AD_ACCOUNT_STATUS[row.account_status]
        facts.add_row("Status", plain(status))
        if row.partners:
            facts.add_row("Shared with", plain(", ".join(row.partners)))
        self.query_one("#asset-facts", Static).update(facts)
        roles = ", ".join(labels.ASSET_ROLE[role] for role in ROLES_FOR_ASSET[self.asset_type])
        if now is None:
            note = "This asset is no longer in your list: removed, or no longer assigned to you."
        elif app.may(Action.ASSIGN_MEMBER):
            note = f"Roles here: {roles}. r gives the highlighted member the next; x removes it."
        else:
            note = f"Roles here: {roles}. An Admin of the Business Center assigns them."
        self.query_one("#asset-note", Static).update(Text(note))
        return now is not None and row.relation_status is RelationStatus.BOUND
