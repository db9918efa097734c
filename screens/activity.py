"""Activity log: who changed what, newest first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from bc_tui.domain import labels
from bc_tui.screens.base import AreaScreen
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain


class ActivityScreen(AreaScreen):
    AREA = "activity"
    LABEL = "Activity log"
    FILTER_PLACEHOLDER = "Filter by person, text or type (USER, ACCOUNT, ASSET, BILLING…)"
    CSS_PATH = stylesheet("activity.tcss")

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary")
        yield self.row_table("activity", ("Time", "Who", "Type", "What happened"))

    def load(self) -> None:
        app = self.bc_app
        view = app.services.views.activity(app.actor, self.query_text)
        table = self.query_one("#activity", DataTable)
        table.clear()
        summary = self.query_one("#summary", Static)
        table.display = view.allowed
        if not view.allowed:
            summary.update(Text(view.reason, style="bold"))
            return
        zone = ZoneInfo(app.services.views.business_center(app.actor.bc_id).timezone)
        for row in view.rows:
            table.add_row(
                plain(row.time.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
                plain(row.operator),
                plain(row.activity_type.value),
                plain(row.activity_log),
            )
        text = labels.count(view.total, "event")
        if view.total > len(view.rows):
            text += f" · showing the newest {len(view.rows)} (filter to narrow)"
        if self.query_text:
            text += f" · filter: {self.query_text}"
        summary.update(Text(text))
