"""Add a partner: another Business Center by its ID, the assets it gets, and its role."""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from bc_tui.domain import labels
from bc_tui.domain.models import AssetRole, AssetType, Partner
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.services.assignments import ROLES_FOR_ASSET
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.pick_list import Item, PickList
from bc_tui.widgets.text_field import TextField
from bc_tui.widgets.toggles import Choice, Choices

TYPES = (AssetType.TT_ACCOUNT, AssetType.ADVERTISER)
ROLES = (
    (AssetRole.ANALYST, "Analyst — view only (the usual choice)"),
    (AssetRole.OPERATOR, "Operator — create ads, see reports"),
    (AssetRole.ADMIN, "Admin — ad accounts only: also finance and settings"),
)


class PartnerDialog(FormDialog[Partner]):
    SUBMIT = "Add partner"
    FIELDS: ClassVar[dict[str, str]] = {
        "Business Center ID": "#partner-id",
        "partner name": "#partner-name",
    }

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Add a partner", classes="dialog-title")
            yield TextField(placeholder="Partner's Business Center ID (digits)", id="partner-id")
            yield TextField(placeholder="Partner's name, e.g. Lumen Creative", id="partner-name")
            with Choices(id="partner-type"):
                for asset_type in TYPES:
                    yield Choice(
                        labels.ASSET_TYPE_PLURAL[asset_type], value=asset_type is self._first
                    )
            yield PickList(labels.ASSET_TYPE[self._first], id="partner-assets")
            with Choices(id="partner-role"):
                for index, (_, label) in enumerate(ROLES):
                    yield Choice(label, value=index == 0)
            yield self.error_line()
            yield from self.buttons()
        yield KeysFooter()

    def __init__(self, asset_type: AssetType | None = None, asset_id: str | None = None) -> None:
        """Shown first: the type on show where `n` was pressed, if a partner can be given
        it, with the asset under the cursor picked (if it is one that can be shared)."""
        super().__init__()
        self._first = asset_type if asset_type in TYPES else TYPES[0]
        #: The assets picked of each type: moving through the types with the arrows (each
        #: one chosen in turn) must not lose what was picked of the one come back to.
        self._picks: dict[AssetType, list[str]] = {}
        if asset_type in TYPES and asset_id is not None:
            self._picks[self._first] = [asset_id]
        self._shown: AssetType | None = None  # the type the asset list shows

    def on_mount(self) -> None:
        self._fill_assets()
        self._offer_roles(self._first)  # (at once: the first frame shows the roles offered)

    def _asset_type(self) -> AssetType:
        return TYPES[max(0, self.query_one("#partner-type", RadioSet).pressed_index)]

    @on(RadioSet.Changed, "#partner-type")
    def _fill_assets(self) -> None:
        app = business_app(self)
        asset_type = self._asset_type()
        assets = self.query_one("#partner-assets", PickList)
        if self._shown is not None:
            self._picks[self._shown] = assets.selected
        self._shown = asset_type
        assets.set_items(
            (
                Item(
                    f"@{row.asset_id}" if row.asset_type is AssetType.TT_ACCOUNT else row.name,
                    row.asset_id,
                )
                for row in app.services.views.shareable_assets(app.actor, asset_type)
            ),
            column=labels.ASSET_TYPE[asset_type],
        )
        for value in self._picks.get(asset_type, ()):
            with suppress(KeyError):  # (no longer offered: shared meanwhile, or gone)
                assets.pick(value)
        # (After the next refresh: while the type's change is handled, and in a callback it
        # schedules with call_later, Textual holds back the RadioButton.Changed that tells
        # the roles' RadioSet of a new choice, and it kept the one it had.)
        self.call_after_refresh(self._offer_roles, asset_type)

    def _offer_roles(self, asset_type: AssetType) -> None:
        """Only the roles `asset_type` has: "Admin — ad accounts only" was offered for
        TikTok accounts too, and refused once sent. Analyst (the usual) replaces one not
        offered."""
        offered = ROLES_FOR_ASSET[asset_type]
        buttons = list(self.query_one("#partner-role", RadioSet).query(Choice))
        for (role, _), button in zip(ROLES, buttons, strict=True):
            if role not in offered and button.value:
                buttons[0].value = True
            button.disabled = role not in offered

    def action_submit(self) -> None:
        app = business_app(self)
        role = ROLES[self.query_one("#partner-role", RadioSet).pressed_index][0]
        self.submit_to(
            app.services.partners.add_partner,
            self.query_one("#partner-id", Input).value,
            self.query_one("#partner-name", Input).value,
            self._asset_type(),
            self.query_one("#partner-assets", PickList).selected,
            role,
        )
