"""Activity log: who changed what, newest first, with the event under the cursor in full."""

from __future__ import annotations

from typing import cast
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Static

from bc_tui.domain import labels
from bc_tui.screens.base import AreaScreen
from bc_tui.services import Actor
from bc_tui.services.views import ACTIVITY_PAGE, ActivityRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain
from bc_tui.widgets.summary import Summary
from bc_tui.widgets.table import VirtualTable


class ActivityScreen(AreaScreen):
    AREA = "activity"
    LABEL = "Activity log"
    FILTER_PLACEHOLDER = "Filter by person, text or type (USER, ACCOUNT, ASSET, BILLING…)"
    CSS_PATH = stylesheet("activity.tcss")
    BINDINGS = [
        Binding("right_square_bracket", "page(1)", "Older", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "Newer", key_display="["),
    ]
    PALETTE = (
        ("Older events", "The next page back in time (])", "page(1)"),
        ("Newer events", "The page before, nearer now ([)", "page(-1)"),
    )

    #: With at least this many events, a filter keystroke takes long enough to notice
    #: (0.06-0.35 s at 100,000): the filter waits for a pause in typing instead of freezing
    #: the screen for each letter. Enter applies it at once.
    PAUSE_FROM = 20_000
    #: How long typing must pause, in seconds.
    PAUSE = 0.2

    def __init__(self) -> None:
        super().__init__()
        self._page = 0
        self._pages = 1  # of the list on show: ] and [ are offered only where there is one
        self._zone = ZoneInfo("UTC")  # the Business Center's, set on load
        self._events = 0  # in the log as last shown: decides whether the filter waits
        self._waiting: Timer | None = None  # a filter to apply when typing pauses
        #: (acting user, filter, page) on show: the same again keeps the cursor on its event.
        self._shown: tuple[Actor, str, int] | None = None

    def compose_body(self) -> ComposeResult:
        yield Summary()
        columns = ("Time", "Who", "Type", "What happened")
        yield VirtualTable(columns, self._cells, give_way=("What happened",), id="activity")
        # What happened, whole: the table's column is cut to end at the screen's edge (at
        # 120 columns most sentences lose the account or the amount they are about).
        yield Static(id="event", markup=False)

    def _cells(self, row: ActivityRow) -> tuple[Text, ...]:
        return (
            plain(row.time.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")),
            plain(row.operator),
            plain(row.activity_type.value),
            plain(_after_who(row.activity_log, row.operator)),
        )

    def load(self) -> None:
        if self._waiting is not None:  # whatever it waited for is shown now
            self._waiting.stop()
            self._waiting = None
        app = self.bc_app
        view = app.services.views.activity(app.actor, self.query_text, self._page)
        self._page = view.page
        self._pages = view.pages
        self.refresh_bindings()  # (] and [ follow the page: the key bar redraws only if so)
        if not self.query_text:
            self._events = view.total
        table = self.query_one("#activity", VirtualTable)
        summary = self.query_one(Summary)
        table.display = view.allowed
        self.set_viewable(view.allowed)
        if not view.allowed:
            self._shown = None
            table.show(())
            self._describe()
            summary.say(Text(view.reason, style="bold"))
            return
        self._zone = app.zone
        shown = (app.actor, self.query_text, view.page)
        # On an older event, a change that adds events on top leaves the cursor on it; on
        # the newest, it goes on to the new newest, as a log followed live does (and as a
        # first visit expects: the area was built ahead, before this session's changes).
        newest = table.cursor_row == 0 and self._page == 0
        at = table.row_at(table.cursor_row) if table.row_count and not newest else None
        table.show(view.rows)
        if shown == self._shown and at in view.rows:  # a change added events on top:
            table.move_cursor(row=view.rows.index(at))  # stay on the event one was on
        else:  # the newest; or a new page or filter, or the event went to the next page
            table.move_cursor(row=0)
        self._shown = shown
        self._describe()
        text = labels.count(view.total, "event")
        if view.pages > 1:
            first = view.page * ACTIVITY_PAGE + 1
            keys = [
                *(["] older"] if view.page + 1 < view.pages else []),
                *(["[ newer"] if view.page > 0 else []),
            ]  # (only the keys that work here, as the key bar offers them)
            text += (
                f" · {first:,}–{first + len(view.rows) - 1:,}, page {view.page + 1} of "
                f"{view.pages} ({', '.join(keys)})"
            )
        if self.query_text:
            text += f" · filter: {self.query_text}"
        summary.say(Text(text))

    @on(VirtualTable.CursorMoved, "#activity")
    def _describe(self) -> None:
        """Show the event under the cursor in full below the table (nothing when none)."""
        table = self.query_one("#activity", VirtualTable)
        event = self.query_one("#event", Static)
        row = table.row_at(table.cursor_row) if table.display and table.row_count else None
        event.display = row is not None
        if row is not None:
            event.update(row.activity_log)

    def _has_page(self, step: int) -> bool:
        """Whether there is a page `step` pages older (negative: newer) than the one shown."""
        return 0 <= self._page + step < self._pages

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page" and parameters:  # (an older or newer page: only if there is one)
            return self._has_page(cast(int, parameters[0]))
        return super().check_action(action, parameters)

    def action_page(self, step: int) -> None:
        if not self._has_page(step):  # (the palette runs it where ] is off)
            which = "older" if step > 0 else "newer"
            self.bc_app.notify(f"There is no {which} page of events.", severity="warning")
            return
        self._page += step
        self.load()
        self.focus_table()

    def filter_changed(self) -> None:
        """A new filter starts at the newest events; over a big log it waits for a pause."""
        self._page = 0
        if self._events < self.PAUSE_FROM:
            self.load()
            return
        if self._waiting is not None:
            self._waiting.stop()
        self._waiting = self.set_timer(self.PAUSE, self.load)

    @on(Input.Submitted, "#filter")
    def _filter_now(self) -> None:
        if self._waiting is not None:
            self.load()


def _after_who(what: str, who: str) -> str:
    """An event as its What happened cell shows it: without the name of who did it, which
    the Who column beside it shows (at 80 columns "Priya Natarajan …" was all there was
    room for). The event is whole below the table and in the log."""
    return what.removeprefix(f"{who} ") if who else what
