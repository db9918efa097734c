"""Assets: an overview of everything the Business Center holds, one type at a time."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from bc_tui.domain import labels
from bc_tui.domain.models import AssetType
from bc_tui.screens.base import AreaScreen
from bc_tui.services.views import AssetsOverview
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain, relation_status

PARTNERS = "PARTNERS"


class AssetsScreen(AreaScreen):
    AREA = "assets"
    LABEL = "Assets"
    CSS_PATH = stylesheet("assets.tcss")

    def __init__(self) -> None:
        super().__init__()
        self._overview: AssetsOverview | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary")
        with Horizontal(id="assets-split"):
            yield OptionList(id="groups")
            yield DataTable(id="assets", cursor_type="row", zebra_stripes=True)

    def load(self) -> None:
        app = self.bc_app
        overview = app.services.views.assets_overview(app.actor)
        self._overview = overview
        groups = self.query_one("#groups", OptionList)
        highlighted = groups.highlighted or 0
        groups.clear_options()
        for group in overview.groups:
            label = f"{labels.ASSET_TYPE_PLURAL[group.asset_type]} ({len(group.rows)})"
            groups.add_option(Option(label, id=group.asset_type.value))
        if overview.partners:
            groups.add_option(Option(f"Partners ({len(overview.partners)})", id=PARTNERS))
        groups.highlighted = min(highlighted, groups.option_count - 1)
        total = sum(len(group.rows) for group in overview.groups)
        text = labels.count(total, "asset") + " · ↑↓ choose a type, enter to browse it"
        if overview.only_assigned:
            text += " · you see only the assets assigned to you"
        self.query_one("#summary", Static).update(Text(text))
        self._show_group()

    @on(OptionList.OptionHighlighted, "#groups")
    def _group_changed(self) -> None:
        self._show_group()

    @on(OptionList.OptionSelected, "#groups")
    def _group_chosen(self) -> None:
        self.focus_table()

    def _show_group(self) -> None:
        overview = self._overview
        groups = self.query_one("#groups", OptionList)
        table = self.query_one("#assets", DataTable)
        table.clear(columns=True)
        if overview is None or groups.highlighted is None:
            return
        option_id = groups.get_option_at_index(groups.highlighted).id
        if option_id == PARTNERS:
            for label in ("Partner", "BC ID", "Shares", "Role"):
                table.add_column(label)
            for partner in overview.partners:
                table.add_row(
                    plain(partner.name),
                    plain(partner.partner_bc_id),
                    plain(f"{partner.assets} {labels.ASSET_TYPE_PLURAL[partner.asset_type]}"),
                    plain(labels.ASSET_ROLE[partner.role]),
                )
            return
        for label in ("Name", "ID", "Ownership", "Status", "Members"):
            table.add_column(label)
        group = next(g for g in overview.groups if g.asset_type.value == option_id)
        for row in group.rows:
            table.add_row(
                plain(row.name),
                plain(
                    f"@{row.asset_id}" if row.asset_type is AssetType.TT_ACCOUNT else row.asset_id
                ),
                plain(labels.RELATION_TYPE[row.relation_type]),
                relation_status(row.relation_status),
                plain(row.members),
            )

    def focus_table(self) -> None:
        self.query_one("#assets", DataTable).focus()
