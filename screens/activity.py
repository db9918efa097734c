"""Activity log: who changed what, newest first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from bc_tui.domain import labels
from bc_tui.screens.base import AreaScreen
from bc_tui.services.views import ACTIVITY_PAGE
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain


class ActivityScreen(AreaScreen):
    AREA = "activity"
    LABEL = "Activity log"
    FILTER_PLACEHOLDER = "Filter by person, text or type (USER, ACCOUNT, ASSET, BILLING…)"
    CSS_PATH = stylesheet("activity.tcss")
    BINDINGS = [
        Binding("right_square_bracket", "page(1)", "Older", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "Newer", key_display="["),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._page = 0

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary")
        yield self.row_table("activity", ("Time", "Who", "Type", "What happened"))

    def load(self) -> None:
        app = self.bc_app
        view = app.services.views.activity(app.actor, self.query_text, self._page)
        self._page = view.page
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
        if view.pages > 1:
            first = view.page * ACTIVITY_PAGE + 1
            text += (
                f" · {first:,}–{first + len(view.rows) - 1:,}, page {view.page + 1} of "
                f"{view.pages} (] older, [ newer)"
            )
        if self.query_text:
            text += f" · filter: {self.query_text}"
        summary.update(Text(text))

    def action_page(self, step: int) -> None:
        self._page = max(0, self._page + step)
        self.load()
        self.focus_table()

    @on(Input.Changed, "#filter")
    def _back_to_newest(self) -> None:
        self._page = 0
