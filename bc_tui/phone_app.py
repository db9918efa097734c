"""`bc-tui phone`: the account owner's phone on its own, in a terminal of its own.

One person plays the admin, another the owner, on one database file: what the owner does here
shows in the admin's app within a second, and the admin's new codes and notifications show
here, through the same file watching.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center
from textual.screen import Screen
from textual.widgets import Header

from bc_tui.services import Services
from bc_tui.shell import DataChanged, ServicesApp
from bc_tui.styles import stylesheet
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.phone import PhonePane, PhoneSession


class PhoneScreen(Screen[None]):
    AUTO_FOCUS = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(id="phone-holder"):
            yield PhonePane()
        yield KeysFooter()

    def on_mount(self) -> None:
        pane = self.query_one(PhonePane)
        pane.sync()
        pane.focus_phone()

    def on_data_changed(self, _: DataChanged) -> None:
        self.query_one(PhonePane).sync()


class PhoneApp(ServicesApp):
    """The simulated TikTok app, alone."""

    TITLE = "TikTok"
    CSS_PATH = [stylesheet("phone.tcss"), stylesheet("phone_app.tcss")]
    BINDINGS = [
        Binding("question_mark", "keys", "Keys", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, services: Services, phone_id: str, *, watch_interval: float = 0.5) -> None:
        super().__init__(services, watch_interval=watch_interval)
        self.phone_session: PhoneSession | None = PhoneSession(phone_id, visible=True)

    def on_mount(self) -> None:
        # No super().on_mount(): Textual runs ServicesApp's handler too (a second file watch).
        phone = self.services.phone.device(self.phone_session.phone_id)  # type: ignore[union-attr]
        self.sub_title = phone.name
        self.push_screen(PhoneScreen())

    def action_keys(self) -> None:
        """`?`, as in the admin's app: the phone's keys and the app's, from the bindings."""
        from bc_tui.screens.help import HelpScreen, bound_keys

        keys = [*bound_keys(self.screen.query_one(PhonePane)), *bound_keys(self)]
        moving = [("↑ ↓", "Move on the page"), ("enter", "Tap the highlighted item")]
        self.push_screen(HelpScreen([("The phone", keys), ("Moving", moving)]))

    def token_on_screen(self) -> str | None:
        """A phone on its own sees no admin screen: its scanner lists the live codes."""
        return None
