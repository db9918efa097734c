"""What every area screen shares: header, sidebar, footer, the `/` filter and reloading.

A screen loads its rows from the view service when it is built (on its first visit, or
ahead of it: `bc_tui.ahead`) and again whenever the app says the data changed (its own
change, another process's, or a switch of acting user), or when it is shown after a change
it was not on top for.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Header, Input

from bc_tui.domain import labels
from bc_tui.screens.dialog import Dialog, run_unchecked
from bc_tui.shell import HOLD_KEYS_AT_MOST, DataChanged
from bc_tui.widgets.filter_bar import FilterBar
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.nav import NavSidebar
from bc_tui.widgets.table import VirtualTable

if TYPE_CHECKING:
    from textual.widget import Widget

    from bc_tui.app import BusinessCenterApp
    from bc_tui.widgets.phone import PhonePane


def business_app(node: DOMNode) -> BusinessCenterApp:
    """The running app with its type (a cast: the app module imports the screens)."""
    return cast("BusinessCenterApp", node.app)


class AreaScreen(Screen[None]):
    """Base of the five area screens."""

    AREA = ""
    LABEL = ""  # the area's name in the palette, e.g. "TikTok accounts"
    FILTER_PLACEHOLDER = ""  # empty: this screen has no `/` filter
    # Never the (maybe hidden) phone.
    AUTO_FOCUS = "#body VirtualTable, #body OptionList"
    # On the screen, not the app: whether `/` is offered then depends on this screen alone,
    # so its key bar stays the same between visits and is not rebuilt on each one. Priority:
    # letters typed right after `/` go to the filter, not to the table (see action_filter).
    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        # From the table too, not only in the filter: after enter the filter stays applied
        # with the focus on the table, and esc there did nothing.
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]
    #: (title, help, action) in the command palette for each of the screen's own keys (the
    #: filter's is added when the screen has one): every action is reachable from there too
    #: (a test holds each binding to it). A command whose action is not possible right now
    #: explains why, as its key does. (Not COMMANDS: Textual's name for a screen's providers.)
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    #: (keys, what they do) of the screen's own ways of moving, first under "Moving" in `?`.
    MOVING: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self._generation = -1
        self._viewable = True  # (see `set_viewable`)
        self._focus_back: Widget | None = None  # (see `keep_focus`)
        # A new screen is styled as it mounts. Marked as already current, Textual does not
        # also re-parse every stylesheet and restyle the whole app (twice) the first time an
        # area is shown: that was 100-150 ms of each first visit. (A private attribute: Textual
        # 8 has no public way to say it.)
        self._css_update_count = self.app._css_update_count
        # The width class (-narrow, -wide) the screen's first Resize gives it, given now: added
        # after mounting, it restyled every widget again and laid the first frame out twice
        # (painted at 80 columns with the wide sidebar, then the narrow one).
        app = self.app
        for at, name in sorted(app.HORIZONTAL_BREAKPOINTS or [], reverse=True):
            if app.size.width >= at:
                self.add_class(name, update=False)
                break

    @property
    def bc_app(self) -> BusinessCenterApp:
        return business_app(self)

    @property
    def dialog_open(self) -> bool:
        """A dialog is open over the screens: a row chosen twice in one burst (enter twice, a
        double click reach the table before the first opened anything) opens one dialog, not
        a second one under it. (Not `is_active`: while an area is built ahead, the screen the
        user sees is not on top, and what a key asked of it must still happen.)"""
        return isinstance(self.app.screen, Dialog)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="frame"):
            yield NavSidebar(self.AREA)
            with Vertical(id="body"):  # (the filter goes first in it when it is first opened)
                yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def load(self) -> None:
        """Read this screen's data from the view service and show it."""
        raise NotImplementedError

    @property
    def filter_bar(self) -> FilterBar | None:
        """The filter, once it has been opened: it is mounted by the first `/` (an Input is
        styled and laid out as it mounts, ~5 ms of a first frame that does not show it)."""
        return next(iter(self.query(FilterBar)), None)

    @property
    def query_text(self) -> str:
        bar = self.filter_bar
        return bar.value.strip() if bar is not None else ""

    def not_joined(self, what: str) -> str:
        """Why an invited person sees none of `what` here ("accounts", "members"). (The
        Business Center's name from the data: the first screen loads before the app's title
        is set.)"""
        app = self.bc_app
        member = app.member
        center = app.services.views.header(app.actor).bc_name
        if member is not None and member.invite_expired(app.services.clock.now()):
            return (
                f"Your invitation to {center} has expired: ask one of its Admins to send it again."
            )
        return (
            f"You are invited to {center} and have not joined yet: its {what} show once you "
            "accept the invitation (ctrl+p, Accept the invitation)."
        )

    def reload(self) -> None:
        self._generation = self.bc_app.generation
        self.load()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_suspend(self) -> None:
        """Under a dialog the key bar goes: it listed keys that do nothing while the dialog
        is open (? p u b, the screen's own). Only the bar: a class on the screen (Textual's
        SUSPENDED_SCREEN_CLASS) restyled all of it, ~45 ms more a switch at 10,000 accounts."""
        self.query_one(KeysFooter).visible = False

    def on_screen_resume(self) -> None:
        self.query_one(KeysFooter).visible = True
        if self._generation != self.bc_app.generation:
            self.reload()
        self.sync_phone()

    def on_data_changed(self, _: DataChanged) -> None:
        self.reload()
        self.sync_phone()

    def sync_phone(self, *, focus: bool = False) -> None:
        if self.bc_app.phone_session is None:
            return  # never shown, so no pane to sync (nor its module imported, see `p`)
        from bc_tui.widgets.phone import show_phone

        show_phone(self, self.query_one("#frame"), focus=focus)

    @on(NavSidebar.Selected)
    def _go(self, event: NavSidebar.Selected) -> None:
        self.bc_app.action_area(event.area)

    @property
    def has_filter(self) -> bool:
        return bool(self.FILTER_PLACEHOLDER) and self._viewable

    def set_viewable(self, viewable: bool) -> None:
        """Whether the acting user may see this area's rows (said by `load`). Where they may
        not (Billing without a finance role, the log without the right, an invitation not
        yet accepted), there is nothing to filter: `/` and the palette's Filter are not
        offered (they opened a filter over a message)."""
        if viewable != self._viewable:
            self._viewable = viewable
            self.refresh_bindings()
        bar = self.filter_bar
        if not viewable and bar is not None and (bar.value or bar.display):
            bar.action_clear()  # (typed by the user acting before: esc was off)

    async def open_filter(self) -> None:
        if not self.has_filter:
            return
        bar = self.filter_bar
        if bar is None:
            bar = FilterBar(self.FILTER_PLACEHOLDER)
            await self.query_one("#body").mount(bar, before=0)
        if self.focused is not bar:
            self.keep_focus()
        bar.open()

    def action_filter(self) -> None:
        """Open the filter of the area on screen once the keys typed before `/` are handled
        (`4/` opens Billing's, not that of the area being left), with the keys typed after
        it going into the filter (`ServicesApp.run_after_keys`)."""

        async def open_on_top() -> None:
            screen = self.app.screen
            if not isinstance(screen, AreaScreen):  # (a key before `/` opened a dialog)
                self.bc_app.hand_on_first(events.Key("slash", "/"))  # typed into it
                return
            opened = asyncio.Event()

            async def open_filter() -> None:
                try:
                    if screen.check_action("filter", ()):
                        await screen.open_filter()
                finally:
                    opened.set()

            screen.call_later(open_filter)  # behind its first mount, if it is new
            with suppress(TimeoutError):  # (the keys are never held longer than that)
                await asyncio.wait_for(opened.wait(), HOLD_KEYS_AT_MOST)

        self.bc_app.run_after_keys(open_on_top, through=self.focused or self)

    def action_clear_filter(self) -> None:
        bar = self.filter_bar
        if self.has_filter and bar is not None:
            bar.action_clear()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter":
            return self.has_filter and not isinstance(self.focused, Input)
        if action == "clear_filter":  # (else esc is left to whatever else takes it)
            bar = self.filter_bar
            return self.has_filter and bar is not None and bar.display
        return True

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        # The row under the cursor stays under it while it matches (`VirtualTable.show`);
        # once the filter hides it, the cursor starts at the first match.
        table = next(iter(self.query(VirtualTable)), None)
        before = table.cursor_key if table else None
        self.filter_changed()
        if table is not None and table.cursor_key != before:
            table.move_cursor(row=0)

    def filter_changed(self) -> None:
        """The filter's text changed: show what matches it now."""
        self.load()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.focus_back()

    @on(FilterBar.Cleared)
    def _filter_cleared(self) -> None:
        self.load()
        self.focus_back()

    def focus_table(self) -> None:
        tables = self.query(VirtualTable)
        if tables:
            tables.first().focus()

    def on_phone_pane_keys_back(self, _: PhonePane.KeysBack) -> None:
        self.focus_back()  # (the phone's module loads with the phone: named here by type only)

    def keep_focus(self) -> None:
        """Remember what has the focus, for `focus_back` (before the filter or the phone
        takes it)."""
        self._focus_back = self.focused

    def focus_back(self) -> None:
        """Focus what had it before the filter or the phone took it, if it can still have
        it; else the table. (The table always took it: closing the filter left the phone
        without the keys, and closing the phone gave them to an applied filter's text, for
        the next key to replace.)"""
        back, self._focus_back = self._focus_back, None
        if back is not None and back.is_attached and back.focusable:
            self.set_focus(back)
        else:
            self.focus_table()

    def screen_commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) for the command palette; actions run on this screen."""
        commands = [
            (title, text, self.palette_action(action)) for title, text, action in self.PALETTE
        ]
        if self.has_filter:
            commands[:0] = [
                (f"Filter {labels.in_sentence(self.LABEL)}", self.FILTER_PLACEHOLDER, "filter"),
                ("Clear the filter", "Show every row again (esc)", "clear_filter"),
            ]
        return commands

    def palette_action(self, action: str) -> str:
        """What the palette runs for `action` (a screen may first bring its part into view)."""
        return action

    async def run_palette_action(self, action: str) -> None:
        await run_unchecked(self, action)
