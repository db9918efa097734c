"""The phone pane: a small TikTok app in a phone-shaped frame, driven by the keyboard.

It draws the page the phone service computes and sends taps back to it; where the owner is
(the navigation stack) lives in a PhoneSession owned by the app, so every screen's pane shows
the same place.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Protocol

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from bc_tui.domain.errors import DomainError
from bc_tui.services import Services
from bc_tui.services.phone_pages import Do, Item, Navigation, Page, PhonePage
from bc_tui.store.errors import StoreError
from bc_tui.widgets.text_field import TextField


@dataclass
class PhoneSession:
    """One phone as an app shows it: which device, where its owner is, whether it is shown."""

    phone_id: str
    nav: Navigation = field(default_factory=Navigation)
    visible: bool = False


class PhoneHost(Protocol):
    """What the pane needs from the app that shows it."""

    services: Services
    phone_session: PhoneSession | None

    def data_changed(self) -> None: ...

    def heard_of_reloads(self) -> None: ...

    def token_on_screen(self) -> str | None: ...


class CodeField(TextField):
    """The scanner's code field. It types every character but `?` (no code has one), and
    one the screen it is on takes over it for now (`keys_over_phone()`, if the screen has
    it): the QR dialog, once its code has expired, says "Press r for a new QR code", and r
    went into this field."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        taken: Callable[[], Collection[str]] | None = getattr(self.screen, "keys_over_phone", None)
        if taken is not None and key in taken():
            return False  # (left to the screen's priority binding)
        return super().check_consume_key(key, character)


def show_phone(screen: Screen[object], container: Widget, *, focus: bool = False) -> None:
    """Bring the screen's phone pane in line with the session: mounted on first need (most
    screens never show it, and every widget costs start-up time), synced, maybe focused."""
    panes = screen.query(PhonePane)
    if panes:
        pane = panes.first()
        pane.sync()
        if focus and pane.display:
            pane.focus_phone()
        return
    session = getattr(screen.app, "phone_session", None)
    if session is None or not session.visible:
        return
    pane = PhonePane()
    container.mount(pane)
    if focus:
        screen.call_after_refresh(pane.focus_phone)


class PhonePane(Vertical):
    """The owner's phone. Keys while it has focus: ↑↓ enter, 1-9 for items, escape back."""

    BINDINGS = [
        Binding("escape", "back", "Phone: back"),
        Binding("1", "pick(1)", "Phone: tap item", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", f"Item {n}", show=False) for n in range(2, 10)),
    ]

    class KeysBack(Message):
        """Escape at the phone's first page: the keys go back to where they were before the
        phone took them, which the screen knows (`AreaScreen.focus_back`)."""

    def __init__(self) -> None:
        super().__init__(id="phone")
        self._items: tuple[Item, ...] = ()
        self._page: PhonePage | None = None  # the page drawn
        self._focus_when_mounted = False
        self.display = False  # until sync(): hidden widgets never take the first focus

    def compose(self) -> ComposeResult:
        yield Static(id="phone-status")
        yield Static(id="phone-title")
        yield Static(id="phone-body")
        yield OptionList(id="phone-items")
        # (Not selected on focus: the first character typed on the list focuses it, see
        # `on_key`, and the next one would have replaced it.)
        yield CodeField(
            placeholder="Type the code under the QR", id="phone-code", select_on_focus=False
        )
        yield Static("↑↓ enter · 1-9 · esc back", id="phone-keys")

    @property
    def host(self) -> PhoneHost:
        app: DOMNode = self.app
        return app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.border_title = "TikTok"
        self.sync()
        self.set_interval(1.0, self._tick)
        if self._focus_when_mounted:
            self.focus_phone()

    def _tick(self) -> None:
        """Once a second while shown: the page again, drawn only if it changed (a code's
        time left on the scanner, a code gone when it expired, an inbox message answered)."""
        if self.display:
            self.sync()

    def _show_time(self) -> None:
        """The status bar's clock, from the injected Clock like every other time."""
        if self.display:
            now = self.host.services.clock.now().strftime("%H:%M")
            self.query_one("#phone-status", Static).update(Text(f"{now}{'▂▄▆ ▮▮▮':>24}"))

    def sync(self) -> None:
        """Show or hide as the session says, and draw the current page."""
        session = self.host.phone_session
        self.display = session is not None and session.visible
        self.screen.set_class(self.display, "-with-phone")  # lets a screen make room for it
        if not self.display or session is None or not self.children:
            return  # (no children: mounted a moment ago, not composed yet; on_mount draws)
        try:
            page = self.host.services.phone.page(
                session.phone_id, session.nav.current, self.host.token_on_screen()
            )
        except DomainError as error:
            self.query_one("#phone-body", Static).update(Text(str(error)))
            self._page = None
            return
        self._draw(page)

    def _draw(self, page: PhonePage) -> None:
        """Draw `page`, unless it is the one drawn already: then the list keeps its cursor
        and the focus stays where it is (a screen shown again syncs its phone).

        Drawn again each second while shown (`_tick`): when only the words of the same
        place's items changed (a code's time left), their prompts change in place, so the
        cursor, the scroll and the options a tap in flight refers to all stay; when the
        items changed (a code came or expired), the cursor stays on its item. Focus moves
        only as the owner goes through the phone, never under keys typed elsewhere."""
        self._show_time()
        if page == self._page:
            return
        same_place = self._page is not None and self._page.place == page.place
        options = self.query_one("#phone-items", OptionList)
        self._page = page
        title = Text(page.title, style="bold")
        if page.account and page.title != f"@{page.account}":
            title.append(f"  @{page.account}", style="dim")
        self.query_one("#phone-title", Static).update(title)
        self.query_one("#phone-body", Static).update(Text("\n".join(page.lines)))
        if same_place and _targets(page.items) == _targets(self._items):
            self._items = page.items
            for index, item in enumerate(page.items):
                options.replace_option_prompt_at_index(index, _prompt(index, item))
            return
        on = options.highlighted
        kept = _targets(self._items)[on] if same_place and on is not None and self._items else None
        had_items = bool(self._items)
        self._items = page.items
        options.clear_options()
        options.add_options(Option(_prompt(index, item)) for index, item in enumerate(page.items))
        options.display = bool(page.items)
        if page.items:
            targets = _targets(page.items)
            options.highlighted = targets.index(kept) if kept in targets else 0
        code = self.query_one("#phone-code", Input)
        code.display = page.takes_code
        if not page.takes_code and page.place.page is not Page.AUTHORIZE:
            # A code typed wrong is kept for going back to correct it (the wrong-code page
            # is an Authorize page), not after: it took the scanner's keys on a later visit.
            code.value = ""
        # A page with nothing to tap or type (a wrong code, a used one, an error): the pane
        # itself takes the keys then, so escape goes back on the phone. Focus used to fall
        # to the screen, where escape cancelled the admin's QR request instead.
        self.can_focus = not page.items and not page.takes_code
        if not self.has_focus_within:
            # The keys are the admin's (a code expired, another screen drew its phone): the
            # owner's own moves through the phone focus it themselves (`focus_phone`).
            return
        focused = self.screen.focused
        if not page.items and page.takes_code:
            code.focus()
        elif (
            page.items
            and not had_items
            and (focused is self or (focused is code and not code.value))
        ):
            options.focus()  # a code appeared while the scanner waited: 1 picks it
        elif not page.items and not page.takes_code:
            self.focus()  # the list under the keys went (a code expired, access removed)

    def focus_phone(self) -> None:
        if not self.children:  # keys came faster than the pane could compose
            self._focus_when_mounted = True
            return
        options = self.query_one("#phone-items", OptionList)
        code = self.query_one("#phone-code", Input)
        if code.display and (code.value or not options.display):
            code.focus()  # (back from a code it did not know: the typed code, to correct)
        elif options.display:
            options.focus()
        else:
            self.focus()  # (`can_focus` on such a page: see `_draw`)

    def tap(self, item: Item) -> None:
        session = self.host.phone_session
        if session is None:
            return
        try:
            self.host.services.phone.choose(session.phone_id, session.nav, item)
        except StoreError as error:
            self.app.notify(str(error), title="Phone", severity="error")
        if item.do not in (Do.OPEN, Do.HOME):
            self.host.data_changed()  # the admin's screen (and the dialog) react at once
        else:
            self.host.heard_of_reloads()  # (a tap re-reads another app's change)
        self.sync()
        self.focus_phone()

    @on(OptionList.OptionSelected, "#phone-items")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        options, index = event.option_list, event.option_index
        # Chosen on a page the phone has left since (enter twice in one burst: each draw
        # makes new options): it would tap what the new page has there, Authorize unseen,
        # or, past its end, end the app with IndexError.
        if index < options.option_count and options.get_option_at_index(index) is event.option:
            self.tap(self._items[index])

    def action_pick(self, number: int) -> None:
        if number <= len(self._items):
            self.tap(self._items[number - 1])

    def action_back(self) -> None:
        session = self.host.phone_session
        if session is not None and session.nav.back():
            self.sync()
            self.focus_phone()
            return
        if isinstance(self.screen, ModalScreen):
            # At the top in the QR dialog the keys stay on the phone: handed to the dialog, a
            # run of escapes walking the phone back went on to cancel the admin's code.
            self.app.notify(
                "The phone is at its first page. To cancel the QR code, press p to hide the "
                "phone, then esc.",
                title="Phone",
            )
            return
        # At the top: hand the keys back to the screen. (Its next widget took them, and over
        # an applied filter that was the filter's text, for the next key to replace. The
        # phone's own screen, `bc-tui phone`, has nothing else to give them to.)
        self.post_message(self.KeysBack())

    def on_key(self, event: events.Key) -> None:
        """On the scanner, what is typed is the code: it goes into the code's field, as on
        the phone's keyboard (so r, n and p there are letters, as in any text field). It
        went past the phone to the screen instead, and an n in it made the admin's QR code
        a notification. A digit still taps the item it numbers; alt and ctrl keys pass.

        A key that comes here with the field focused was on its way to the list when the
        field took the focus (a paste, fast typing: keys come in one read): it is the code's
        too, a digit included (a 1 in a pasted code tapped the first item, and was lost)."""
        code = self.query_one("#phone-code", Input)
        character = event.character
        typing = self.screen.focused is code  # (`has_focus` follows only once it is handled)
        if (
            not code.display
            or character is None
            or not event.is_printable
            or character.isspace()
            or "+" in event.key  # (alt+x, ctrl+x: the character alone is not what was meant)
            or (not typing and character in "123456789" and int(character) <= len(self._items))
        ):
            return
        event.stop()
        event.prevent_default()
        self.screen.set_focus(code)  # (at once: `focus()` waits, and the next key may be a digit)
        code.insert_text_at_cursor(character)

    @on(Input.Submitted, "#phone-code")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        session = self.host.phone_session
        if session is None or not event.value.strip():
            return
        if self.host.services.phone.scan(session.nav, event.value):
            event.input.value = ""  # (a code it does not know stays, to correct on going back)
        self.sync()
        self.focus_phone()


def _prompt(index: int, item: Item) -> Text:
    """An item as the list shows it, with the digit that taps it."""
    return Text(f"{index + 1} {item.label}")


def _targets(items: tuple[Item, ...]) -> list[tuple[object, ...]]:
    """What each item does, whatever its words say (a countdown changes them)."""
    return [(item.do, item.page, item.arg) for item in items]
