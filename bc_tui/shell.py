"""What every bc-tui app shares (the admin app and the standalone phone): the services, and
one way of noticing that the data changed.

A change made here, or by another process on the same file (the phone in a second terminal,
another SSH session), ends in the same place: `data_changed()` posts DataChanged to the screen
on top, which reloads what it shows. Other screens (an area, or a dialog under another) reload
when they are on top again.
"""

from __future__ import annotations

import gc
import inspect
import select
import sys
import time
from collections.abc import Awaitable, Callable
from weakref import WeakKeyDictionary

from textual import events, on
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from bc_tui.services import Services
from bc_tui.store.errors import StoreError


class DataChanged(Message):
    """The database (or who is acting) changed: the screen on top reloads."""


class AfterKeys(Message):
    """Climbs from a widget to the app, behind the keys handed to that widget before it
    (`ServicesApp.run_after_keys`)."""

    def __init__(self, callback: Callable[[], Awaitable[object] | object]) -> None:
        super().__init__()
        self.callback = callback


class ServicesApp(App[None]):
    """An app over one database: watches the file and tells screens when data changed."""

    def __init__(self, services: Services, *, watch_interval: float = 0.5) -> None:
        super().__init__()
        self.services = services
        self.generation = 0  # screens compare it to know whether to reload on resume
        #: The store's revision when the screens last heard of a change (`data_changed`).
        self._seen_revision = services.store.revision
        self._watch_interval = watch_interval
        self._gc_threshold: tuple[int, int, int] | None = None  # while our GC policy holds
        self._held: list[events.Event] | None = None  # keys kept back (see `hold_keys`)
        #: The screen on top when each key (still on its way) came (see `_typed_ahead`).
        self._typed_on: WeakKeyDictionary[events.Key, Screen[object]] = WeakKeyDictionary()
        self._hold_timer: Timer | None = None
        #: (title, message, severity) of each notice on show -> when it goes (monotonic).
        self._notices: dict[tuple[str, str, str], float] = {}

    def on_mount(self) -> None:
        if self._watch_interval > 0:
            self.set_interval(self._watch_interval, self._watch_store)
        self.call_after_refresh(self._settled)
        self.set_interval(COLLECT_EVERY, _collect)
        if not self.is_headless:
            self.set_interval(HANGUP_CHECK_EVERY, self._check_terminal)

    def _check_terminal(self) -> None:
        """End when the terminal is gone, as a closed SSH connection under `make demo` leaves
        it: the app is not sent SIGHUP then (make is), and Textual's input thread would read
        an endless end-of-file at full speed, forever.

        The exit goes through the app's message queue, as a quit key does: called from this
        timer's own task, it could land while an area is being built ahead, and Textual
        mounts nothing once the app is exiting, so that area's screen would find none of its
        widgets and end the app with an error instead."""
        if sys.__stdin__ is not None and _hung_up(sys.__stdin__.fileno()):
            self.call_later(self.exit)

    def run_after_keys(
        self, callback: Callable[[], Awaitable[object] | object], *, through: MessagePump
    ) -> None:
        """Run `callback` after the keys that reached the app before now, and before the
        keys that reach it after: for the action of a priority key (a form's enter, `/`).

        Textual runs a priority binding as its key arrives, but hands each key before it to
        the focused widget (`through`), whose queue it then climbs to the app's bindings; so
        in one burst of keys (a paste, fast typing over SSH) the priority key overtook them:
        enter sent a form before the last characters reached its field ("100" then enter
        recharged 1.00) or after an escape meant to cancel it, and `4/` opened the filter of
        the area being left. The callback climbs the same way, behind them, and runs from
        the app's queue; the keys that come meanwhile are kept back (`hold_keys`) and handed
        on once it has run, or "100", enter and "5" would recharge 1,005.00."""
        self.hold_keys()
        through.post_message(AfterKeys(callback))

    @on(AfterKeys)
    async def _after_keys(self, message: AfterKeys) -> None:
        try:
            result = message.callback()
            if inspect.isawaitable(result):
                await result
        finally:
            self.release_keys()

    def hold_keys(self) -> None:
        """Keep back the keys (and pastes) that arrive from now on, until `release_keys`
        hands them on in order (see `run_after_keys`); at most HOLD_KEYS_AT_MOST seconds, so
        that none is ever lost."""
        if self._held is None:
            self._held = []
            self._hold_timer = self.set_timer(HOLD_KEYS_AT_MOST, self.release_keys)

    def hand_on_first(self, event: events.Key) -> None:
        """Hand `event` on ahead of the keys held back since (see `run_after_keys`): a key
        whose binding found, once the keys before it were handled, that it was not for the
        screen now on top (`/` typed right behind the `a` that opened a dialog: a pasted
        address's "https://")."""
        if self._held is None:
            self.post_message(event)
        else:
            self._held.insert(0, event)

    def drop_held_keys(self) -> None:
        """Let go of the keys kept back so far, unhanded: they were typed at a form that is
        gone now (see `Dialog.action_after_typing`)."""
        if self._held is not None:
            self._held.clear()

    def release_keys(self) -> None:
        """Hand on the keys kept back, behind whatever the app has queued already."""
        held, self._held = self._held, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        for event in held or ():
            self.post_message(event)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            # (from the terminal, not one climbing back up)
            if self._held is None and not self.screen_stack:
                # Between two modes' screens (an area built ahead): Textual would find no
                # screen to hand it to, and end the app with ScreenStackError (the fuzz test
                # and a review's bursts across areas under load did).
                self.hold_keys()
            if self._held is not None:
                self._held.append(event)
                return
            if isinstance(event, events.Key):
                self._typed_on[event] = self.screen
        elif isinstance(event, events.Key) and not self.screen_stack:
            # One climbing back to the app's bindings, which need a screen: handed on again,
            # as typed, once there is one (as a key from the terminal is, above).
            self.hold_keys()
            assert self._held is not None
            self._held.append(events.Key(event.key, event.character))
            return
        elif isinstance(event, events.Key) and self._typed_ahead(event):
            return
        await super().on_event(event)

    def _typed_ahead(self, key: events.Key) -> bool:
        """Hand a character typed at a screen that a dialog has covered since to the dialog,
        as if typed there; True if it was. In one burst of keys (fast typing over SSH, a
        paste) the keys after one that opens a dialog reach the screen it covers, and those
        it leaves climb to the bindings: `a` then "quinn" opened Act as on its u and quit on
        its q, and "jess.outdoors" never reached the handle. Only characters: enter, escape,
        tab, space and arrows typed ahead keep to what they met (a double tap's second enter
        must not answer the question the first opened)."""
        typed_on = self._typed_on.pop(key, None)
        top = self.screen_stack[-1] if self.screen_stack else None
        character = key.character
        if (
            typed_on is None
            or top is typed_on
            or not isinstance(top, ModalScreen)
            or character is None
            or not character.isprintable()
            or character.isspace()
        ):
            return False
        again = events.Key(key.key, character)
        if top.focused is None:  # not ready (opened a moment ago): once it has drawn
            self.hold_keys()
            assert self._held is not None
            self._held.append(again)
            top.call_after_refresh(self.release_keys)
            return True
        self._typed_on[again] = top
        top.focused._forward_event(again)
        return True

    def on_unmount(self) -> None:
        """Hand the collector back as it was (a test process runs many apps in turn)."""
        if self._gc_threshold is not None:
            gc.unfreeze()
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None

    def _settled(self) -> None:
        """Once the first screen is up, move everything alive into the collector's permanent
        generation, and leave full collections to `_collect`'s slow cadence.

        At 10,000 accounts the parsed database, its indexes and the views are a few hundred
        thousand objects, and CPython's automatic full collection walked them all every few
        seconds of activity: a 40-70 ms stall in the middle of a keystroke or a screen
        switch. Frozen objects are still freed by reference counting when dropped; young
        ones are still collected as usual, only the full (oldest-generation) pass waits.

        The collector is turned on here too: the CLI turns it off while starting
        (`cli._run_app`).
        """
        self._upkeep()
        if self._gc_threshold is not None:
            return
        self._gc_threshold = gc.get_threshold()
        gc.freeze()
        gc.enable()
        young, middle, _ = self._gc_threshold
        gc.set_threshold(young, middle, 1_000_000_000)

    def freeze_heap(self) -> None:
        """Freeze what was made since the first frame too, when it will live as long as
        what was frozen then (the areas built ahead): see `_settled`."""
        if self._gc_threshold is not None:
            gc.freeze()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's notify, but literal unless asked: notices carry people's names, handles
        and rule messages quoting what they typed, and Textual would read "[bold]" in them as
        markup, run "[@click=app.quit]" as an action, and crash on "[/]".

        A notice the same as one on show is not shown again: a refused key pressed three
        times stacked three tall copies of its reason over the screen."""
        now = time.monotonic()  # (a toast lives in real time, not the Business Center's Clock)
        self._notices = {key: ends for key, ends in self._notices.items() if ends > now}
        key = (title, message, severity)
        if key in self._notices:
            return
        self._notices[key] = now + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def data_changed(self) -> None:
        self.generation += 1
        self._seen_revision = self.services.store.revision
        if self.screen_stack:  # (none between two screens of an area built ahead)
            self.screen_stack[-1].post_message(DataChanged())

    def heard_of_reloads(self) -> None:
        """Tell the screens if the store re-read the file since they last heard: a use case
        re-reads it under its lock, and when it is then refused (or only looks, as a tap
        through the phone's menus) nothing else would say that another app changed it."""
        if self.services.store.revision != self._seen_revision:
            self.data_changed()

    def _watch_store(self) -> None:
        """A cheap stat of the file; a reload only when another process wrote to it."""
        try:
            self.services.store.refresh()
        except StoreError as error:
            self.notify(str(error), title="Database", severity="error")
            return
        self.heard_of_reloads()
        self._upkeep()

    def _upkeep(self) -> None:
        """The store's upkeep, if its open left it (`Store.upkeep`), without waiting for the
        lock: if another process holds it, the next look at the file tries again."""
        try:
            self.services.store.upkeep()
        except StoreError as error:
            self.notify(str(error), title="Database", severity="error")


#: Seconds keys are kept back at most (`ServicesApp.hold_keys`): what is waited for takes
#: milliseconds, unless it never comes (its dialog was closed meanwhile), or the app is
#: slow (a dialog's first opening on a busy machine took over 0.5 s, the hold's limit then,
#: and the keys let go meanwhile landed out of order: "https:w.brand//www.tiktok…").
HOLD_KEYS_AT_MOST = 2.0
#: Seconds between the app's own full garbage collections (see `ServicesApp._settled`).
COLLECT_EVERY = 10.0
#: Seconds between two looks at whether the terminal is still there.
HANGUP_CHECK_EVERY = 1.0


def _hung_up(fd: int) -> bool:
    """Whether the other end of `fd` (a terminal, or the web server's pipe) has closed, asked
    of poll without reading; False where there is no poll."""
    if not hasattr(select, "poll"):
        return False
    poller = select.poll()
    poller.register(fd, select.POLLHUP)  # (hang-ups and errors are reported whatever is asked)
    # Not POLLNVAL: macOS's poll answers it for every device, /dev/tty included.
    return any(events & (select.POLLHUP | select.POLLERR) for _, events in poller.poll(0))


def _collect() -> None:
    """A full collection, on a timer instead of in the middle of a burst of keys, and only
    if anything reached the oldest generation since the last one (an idle app does none)."""
    if gc.get_count()[2]:
        gc.collect()
