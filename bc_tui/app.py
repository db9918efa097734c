"""BusinessCenterApp: the switchboard — areas, global keys, palette commands, data refresh.

Logic lives in the services; this class only routes keys to screens and service calls, shows
their errors as notices, and tells screens when the data changed.
"""

from __future__ import annotations

import importlib
import logging
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from bc_tui.ahead import AreasAheadApp
from bc_tui.domain import labels
from bc_tui.domain.errors import DomainError
from bc_tui.domain.models import BusinessCenter, Member, MemberStatus, Phone, RequestMethod
from bc_tui.domain.permissions import Action, can, why_not
from bc_tui.screens.base import AreaScreen
from bc_tui.screens.dialog import Dialog
from bc_tui.services import Actor, Services
from bc_tui.store.errors import StoreError
from bc_tui.styles import stylesheet
from bc_tui.widgets.nav import AREAS

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from bc_tui.widgets.phone import PhoneSession

log = logging.getLogger("bc_tui")

#: Seconds a confirmation of something permanent or destructive waits before it takes a yes
#: (`ConfirmDialog`): longer than a double tap (~0.25 s), shorter than reading the question.
CONFIRM_DWELL = 0.4


@dataclass(frozen=True, slots=True)
class Attempt:
    """How a service call went: `value` is its result when `ok`."""

    ok: bool
    value: Any = None


class BusinessCenterApp(AreasAheadApp):
    """TikTok Business Center in a terminal."""

    TITLE = "bc-tui"
    # Every area's stylesheet up front: Textual re-parses all CSS and restyles the whole app
    # each time a screen brings a file it has not seen, which made the first visit to each
    # screen or dialog 100-150 ms slower at any size.
    CSS_PATH = [
        stylesheet(name)
        for name in (
            "app.tcss",
            "assets.tcss",
            "tiktok_accounts.tcss",
            "members.tcss",
            "billing.tcss",
            "activity.tcss",
        )
    ]
    # The phone's and the dialogs' (no rule of theirs matches a widget of an area screen):
    # read and parsed right after the first frame instead of before it (~5 ms), so they too
    # are in place before anything can open.
    LATER_CSS_PATH = [
        stylesheet(name) for name in ("phone.tcss", "dialogs.tcss", "add_account.tcss", "qr.tcss")
    ]
    # Each area's module is imported when the area is first shown: start-up loads only the
    # screen it opens on (and its dialogs).
    MODES = {
        "assets": lambda: _area_screen("assets", "AssetsScreen"),
        "tiktok_accounts": lambda: _area_screen("tiktok_accounts", "TikTokAccountsScreen"),
        "members": lambda: _area_screen("members", "MembersScreen"),
        "billing": lambda: _area_screen("billing", "BillingScreen"),
        "activity": lambda: _area_screen("activity", "ActivityScreen"),
    }
    DEFAULT_MODE = "assets"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        *(Binding(key, f"area('{area}')", label, show=False) for key, area, label in AREAS),
        Binding("p", "phone", "Phone", tooltip="Show or hide the account owner's phone"),
        Binding("u", "switch_user", "User", tooltip="Switch the acting user"),
        # (short in the key bar, which must fit 120 columns; `?` shows the tooltip)
        Binding("b", "switch_center", "Switch BC", tooltip="Switch Business Center"),
        Binding("question_mark", "keys", "Keys", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        services: Services,
        actor: Actor,
        *,
        watch_interval: float = 0.5,
        build_ahead: bool = False,
        confirm_dwell: float = 0.0,
    ) -> None:
        """`build_ahead`: build the other areas in the background once the first is up
        (`bc_tui.ahead`). The CLI asks for it; tests, which start hundreds of apps and want
        each to do only what it shows, do not.

        `confirm_dwell`: seconds a confirmation of something permanent or destructive
        takes no yes after it appears (`ConfirmDialog`). The CLI gives CONFIRM_DWELL; tests
        answer at once unless they test the dwell."""
        super().__init__(services, watch_interval=watch_interval, build_ahead=build_ahead)
        self.actor = actor
        self.confirm_dwell = confirm_dwell
        self._later_css_read = False
        #: The phone beside the screens: none until `p` first shows it (nor its module, which
        #: starting does not need).
        self.phone_session: PhoneSession | None = None

    def on_mount(self) -> None:
        # No super().on_mount(): Textual runs ServicesApp's handler too (a second file watch).
        self._update_title()

    def _settled(self) -> None:
        super()._settled()
        self._read_later_css()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            # A key typed while the app was starting (a terminal passes on what was typed
            # ahead) can be handled before `_settled`, and open a dialog or the phone.
            self._read_later_css()
        await super().on_event(event)

    def _read_later_css(self) -> None:
        """Add LATER_CSS_PATH's rules, once: for the nodes styled from then on (nothing on
        screen restyles, as none of them applies there)."""
        if self._later_css_read:
            return
        self._later_css_read = True
        sheet = self.stylesheet
        for path in self.LATER_CSS_PATH:
            sheet.read(path)
        sheet.parse()

    # --- data and permissions -------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        """The Business Center's time zone: every time on screen is shown in it. (zoneinfo is
        imported here: ~2 ms of imports the first frame, TikTok accounts or Assets, does not
        need.)"""
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.services.views.business_center(self.actor.bc_id).timezone)

    @property
    def member(self) -> Member | None:
        return self.services.views.membership(self.actor)

    def may(self, action: Action) -> bool:
        return can(self.member, action)

    def explain_if_forbidden(self, action: Action) -> bool:
        """True if the acting user may act; otherwise say why and return False."""
        if self.may(action):
            return True
        self.notify(why_not(self.member, action), title="Not allowed", severity="warning")
        return False

    def attempt(
        self,
        use_case: Callable[..., Any],
        *args: Any,
        on_error: Callable[[str], None] | None = None,
        changes_data: bool = True,
        as_actor: Actor | None = None,
    ) -> Attempt:
        """Run a service call as the acting user; show its error instead of raising.

        Expected failures (rules, validation, a busy or broken database) are shown as they
        are — in a notice, or through `on_error` when a dialog shows them inline; anything
        else is logged with its traceback and reported in one line. `as_actor` is for the
        simulation's other people (an invitee accepting).
        """
        try:
            value = use_case(as_actor or self.actor, *args)
        except (DomainError, StoreError) as error:
            if on_error is None:
                self.notify(str(error), title="Could not do that", severity="error", timeout=8)
            else:
                on_error(str(error))
            self.heard_of_reloads()  # (refused after re-reading another app's change)
            return Attempt(ok=False)
        except Exception:
            log.exception("unexpected error in %s", getattr(use_case, "__name__", use_case))
            self.notify(
                "Something unexpected went wrong; details are in the log file.",
                title="Error",
                severity="error",
            )
            return Attempt(ok=False)
        if changes_data:
            self.data_changed()
        return Attempt(ok=True, value=value)

    def data_changed(self) -> None:
        """The header names the acting user and Business Center: keep it current too."""
        self._update_title()
        super().data_changed()

    def _update_title(self) -> None:
        header = self.services.views.header(self.actor)
        self.title = header.bc_name
        self.sub_title = f"{header.user_name} · {header.role}"

    # --- actions --------------------------------------------------------------------------

    def token_on_screen(self) -> str | None:
        """The token of the QR code the admin's screen shows, for the phone's scanner."""
        from bc_tui.screens.qr_dialog import QrDialog

        try:
            screen = self.screen
        except ScreenStackError:  # between two modes' screens (an area built ahead): no code
            return None
        if isinstance(screen, QrDialog) and screen.request.method is RequestMethod.QR:
            return screen.request.token
        return None

    def action_phone(self) -> None:
        """Show the phone beside the screen (and give it the keys), or hide it."""
        session = self.phone_session
        if session is None:
            # The database's phone (perhaps made since the start, by `bc-tui phone` in
            # another terminal).
            from bc_tui.widgets.phone import PhoneSession

            phones = self.services.repo.all(Phone)
            if phones:
                session = self.phone_session = PhoneSession(phones[0].phone_id)
        if session is None:
            path = shlex.quote(str(self.services.store.path))
            self.notify(
                f"This database has no phone yet. Run `bc-tui phone --db {path} --account "
                "@handle` in another terminal to log an account in on one, then press p again.",
                title="Phone",
                severity="warning",
            )
            return
        from bc_tui.screens.qr_dialog import QrDialog

        self._read_later_css()  # (if run before the first key or `_settled`: a test, a script)
        session.visible = not session.visible
        if session.visible:
            self.services.phone.settle(session.nav)
        screen = self.screen
        if isinstance(screen, AreaScreen) and session.visible:
            screen.keep_focus()
        if isinstance(screen, AreaScreen | QrDialog):
            screen.sync_phone(focus=session.visible)
        if session.visible:
            return
        if isinstance(screen, AreaScreen):
            screen.focus_back()
        else:
            screen.focus_next()

    def action_area(self, area: str) -> None:
        # Unconditionally: while an area is built ahead, `current_mode` names it, not the one
        # the user sees, and switch_mode puts the user's back first (Textual does nothing
        # for the current mode).
        self.switch_mode(area)

    def action_keys(self) -> None:
        """Show the keys of the current screen and the global ones, from the bindings."""
        from bc_tui.screens.help import HelpScreen, bound_keys

        screen = self.screen
        # A key once, as the class nearest the screen binds it (account details' r said both
        # "Change role" and "Operator/Analyst"), then as the part that has the focus binds
        # it (the phone: its esc is not the dialog's Cancel while it has the keys).
        said = dict(bound_keys(screen, all_of_them=True))
        chain = list(screen.focused.ancestors_with_self) if screen.focused else []
        for node in reversed([n for n in chain if isinstance(n, Widget) and n is not screen]):
            said.update(bound_keys(node))
        here = list(said.items())
        everywhere = [(key, label) for key, _, label in AREAS]
        everywhere += bound_keys(self)
        everywhere.append(("ctrl+p", "Command palette: every action by name"))
        tables = [
            ("pgup pgdn", "Page through a table"),
            ("^home ^end", "First, last row of a table"),
            ("← →", "Scroll a wide table sideways"),
        ]
        moving = [
            *getattr(screen, "MOVING", ()),
            ("↑ ↓", "Move in a list or table"),
            *tables,
            ("tab", "Next part of the screen"),
            ("esc", "Close a dialog or clear the filter"),
        ]
        sections = [("This screen", here), ("Everywhere", everywhere), ("Moving", moving)]
        if isinstance(screen, ModalScreen):  # (a dialog: the app's keys do not reach it)
            sections = [("This dialog", here), ("Moving", _dialog_moving(screen, tables))]
        self.push_screen(HelpScreen([section for section in sections if section[1]]))

    def action_switch_user(self) -> None:
        from bc_tui.screens.picker import PickerDialog

        views = self.services.views
        choices = [
            (
                row.user_id,
                # The role before the email: a long line ends in an ellipsis.
                f"{row.user_name} ({labels.member_role(row.user_role, row.finance_role)}"
                f"{', invited' if row.relation_status is MemberStatus.PENDING else ''})"
                f" — {row.user_email}",
            )
            for row in views.people_to_act_as(self.actor.bc_id)
        ]

        def done(user_id: str | None) -> None:
            if user_id and user_id != self.actor.user_id:
                self.actor = Actor(user_id=user_id, bc_id=self.actor.bc_id)
                self.data_changed()
                self.notify(f"Now acting as {views.user_name(user_id)}.")

        self.push_screen(PickerDialog("Act as", "Member", choices, self.actor.user_id), done)

    def action_business_info(self) -> None:
        """The Business Center's name, company and time zone (palette: Business info)."""
        if not self.explain_if_forbidden(Action.EDIT_BUSINESS):
            return
        from bc_tui.screens.business_info import BusinessInfoDialog

        def done(center: BusinessCenter | None) -> None:
            if center is not None:
                self.notify(f"Saved the business info of {center.name}.")

        self.push_screen(BusinessInfoDialog(), done)

    def action_security(self) -> None:
        """The email domains new members may have (palette: Security settings)."""
        if not self.explain_if_forbidden(Action.MANAGE_SECURITY):
            return
        from bc_tui.screens.security import SecurityDialog

        def done(center: BusinessCenter | None) -> None:
            if center is not None:
                domains = ", ".join(center.allowed_email_domains) or "any email domain"
                self.notify(f"New members of {center.name}: {domains}.", title="Saved")

        self.push_screen(SecurityDialog(), done)

    def action_accept_invitation(self) -> None:
        """The acting user, invited and not joined, accepts (palette: Accept the invitation):
        the screens told them to, and nothing let them."""
        if self.attempt(self.services.members.accept_invitation).ok:
            self.notify(f"You joined {self.title}.", title="Invitation accepted")

    def action_switch_center(self) -> None:
        from bc_tui.screens.picker import PickerDialog

        views = self.services.views
        choices = [
            (center.bc_id, f"{center.name} — {center.bc_id}")
            for center, _ in views.business_centers(self.actor.user_id)
        ]

        def done(bc_id: str | None) -> None:
            if bc_id and bc_id != self.actor.bc_id:
                self.actor = Actor(user_id=self.actor.user_id, bc_id=bc_id)
                self.data_changed()
                self.notify(f"Switched to {views.business_center(bc_id).name}.")

        self.push_screen(
            PickerDialog("Switch to", "Business Center", choices, self.actor.bc_id), done
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if not screen.is_modal:
            yield from self._global_commands()
        yield SystemCommand("Keys", "Key ? — every key that works here", self.action_keys)
        if isinstance(screen, AreaScreen | Dialog):
            for title, help_text, action in screen.screen_commands():
                yield SystemCommand(title, help_text, lambda a=action: screen.run_palette_action(a))
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's own panel: ours above lists every key
                yield command

    def _global_commands(self) -> Iterable[SystemCommand]:
        """What the global keys do (1-5, p, u, b), the Business Center's settings and an
        invitation's acceptance: not offered over a dialog, whose keys reach only it (the
        palette's "Go to Members" left an Add account dialog open behind, on TikTok
        accounts, to come back to with 2)."""
        for key, area, label in AREAS:
            yield SystemCommand(f"Go to {label}", f"Key {key}", lambda a=area: self.action_area(a))
        yield SystemCommand(
            "Show or hide the phone", "Key p — the account owner's phone", self.action_phone
        )
        yield SystemCommand("Switch acting user", "Key u", self.action_switch_user)
        yield SystemCommand("Switch Business Center", "Key b", self.action_switch_center)
        yield SystemCommand(
            "Business info", "Name, company and time zone (Admins)", self.action_business_info
        )
        yield SystemCommand(
            "Security settings", "Email domains new members may have (Admins)", self.action_security
        )
        member = self.member
        if member is not None and member.relation_status is MemberStatus.PENDING:
            yield SystemCommand(
                "Accept the invitation",
                f"Join {self.title} (you are invited)",
                self.action_accept_invitation,
            )


def _dialog_moving(dialog: Screen[Any], tables: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A dialog's moving keys: those of the parts it has. Every dialog's `?` listed a
    table's keys, the confirmations' and the QR dialog's too, and esc twice (its own is
    under "This dialog")."""
    # (Here: these widgets' modules load on first use, and the first frame needs none.)
    from textual.widgets import Checkbox, OptionList, RadioButton, RadioSet

    from bc_tui.widgets.table import VirtualTable

    moving: list[tuple[str, str]] = []
    if dialog.query(VirtualTable) or dialog.query(OptionList) or dialog.query(RadioSet):
        moving.append(("↑ ↓", "Move in a list or between choices"))
    if dialog.query(VirtualTable):
        moving += tables
    if dialog.query(Checkbox) or dialog.query(RadioButton):
        moving.append(("space", "Tick, untick or choose an option"))
    moving.append(("tab", "Next part of the dialog"))
    return moving


def _area_screen(module: str, name: str) -> AreaScreen:
    """A new area screen, its module imported on first use."""
    screen_class = getattr(importlib.import_module(f"bc_tui.screens.{module}"), name)
    return cast(AreaScreen, screen_class())


class _NoCardNumbers(logging.Formatter):
    """Card numbers never reach the log file, not even quoted in an unexpected error's message
    (int() and friends repeat their input): a run of 13 to 19 digits, spaced or dashed, that
    passes the Luhn check is replaced before the line is written."""

    _NUMBER = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")

    def format(self, record: logging.LogRecord) -> str:
        return self._NUMBER.sub(self._mask, super().format(record))

    @staticmethod
    def _mask(match: re.Match[str]) -> str:
        from bc_tui.domain.cards import luhn_ok  # (the card rules: not needed to start)

        digits = "".join(ch for ch in match.group() if ch.isdigit())
        return "[card number removed]" if luhn_ok(digits) else match.group()


def configure_log(path: Path) -> None:
    """Unexpected errors go to this file, never to the screen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(_NoCardNumbers("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
