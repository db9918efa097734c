"""Building an app's areas ahead: each mode's screen is built in the background after the
first frame, so that the first visit to an area costs what a later one does.

A first visit builds the area's screen: some forty widgets mounted, styled, laid out and
painted, and its view worked out (at 10,000 accounts 0.1-0.3 s, Activity's 100,000 events
the most); a later visit only restyles, lays out and paints what changed (~25 ms). So once
the first screen is up and the user has paused, the areas not shown yet are built one at a
time, with public Textual API only: inside one batch of updates (nothing reaches the
terminal), switch to the area, wait for its first paint, switch back.

What makes that safe for the user:

- A step runs from the app's message queue (`call_later`), not a timer's task: keys and
  clicks that arrive meanwhile wait in that queue, then go to the screen the user sees.
- A step starts only when no key or mouse event came for `BUILD_AHEAD_QUIET` seconds and no
  dialog is open, so an event handed on before it began is long handled.
- If something still changes the screens while an area is on top unseen (a widget that
  took a click just before the step and opens a dialog or switches area), the user's
  screen is put back first, and what was asked for then happens there; it shows once the
  step's batch ends (at most one area's build later).
- What was built lives as long as the app: it joins the garbage collector's frozen
  generation when the last area is built (see `ServicesApp._settled`).

Its price, paid by every session: ~1 s of CPU after start-up, the memory of every area,
and one repaint of the screen on display per area built (which also forgets the mouse
hover until the mouse moves).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from textual import events
from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widget import AwaitMount

from bc_tui.services import Services
from bc_tui.shell import ServicesApp

#: Seconds from the first frame to the first step, and between tries while the user is busy;
#: between two steps otherwise; without keys or mouse before a step; at most for the first
#: paint of an area built unseen.
BUILD_AHEAD_PAUSE = 0.3
BUILD_AHEAD_GAP = 0.05
BUILD_AHEAD_QUIET = 0.5
BUILD_AHEAD_WAIT = 2.0


class AreasAheadApp(ServicesApp):
    """A ServicesApp whose modes (its areas) can be built ahead of their first visit."""

    def __init__(
        self, services: Services, *, watch_interval: float = 0.5, build_ahead: bool = False
    ) -> None:
        super().__init__(services, watch_interval=watch_interval)
        self._build_ahead = build_ahead
        self._building: str | None = None  # the area on top, unseen, during a step
        self._building_from = ""  # the area the user sees meanwhile
        self._last_input = 0.0  # time.monotonic() of the last key or mouse event
        #: Set when building ahead finds every area built (for tests and the bench).
        self.areas_built = asyncio.Event()

    def _settled(self) -> None:
        super()._settled()
        if self._build_ahead:
            self.set_timer(BUILD_AHEAD_PAUSE, self._build_ahead_soon)

    def unbuilt_areas(self) -> list[str]:
        """The areas whose screen is not built yet (by a visit or ahead of one): not made,
        not through mounting (which works out its view), or not yet painted unseen."""
        return [mode for mode in self.MODES if mode == self._building or not self._built(mode)]

    def _built(self, mode: str) -> bool:
        try:
            stack = self.get_screen_stack(mode)
        except KeyError:  # Textual's answer for a mode never shown
            return False
        return bool(stack) and stack[0].is_mounted

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _build_ahead_soon(self) -> None:
        """The next step, from the app's message queue (see the module's docstring)."""
        self.call_later(self._build_next_area)

    async def _build_next_area(self) -> None:
        """Build the first area not built yet behind the one on screen, then schedule the
        next; or try again later if the user is busy. Nothing once the app is exiting:
        Textual mounts no more widgets then, so the area's screen would find none of its own
        and end the app with an error."""
        if self.return_code is not None:  # set by exit(), ahead of the shut-down
            return
        todo = self.unbuilt_areas()
        if not todo:
            self._all_built()
            return
        busy = time.monotonic() - self._last_input < BUILD_AHEAD_QUIET
        if busy or len(self.screen_stack) > 1:
            self.set_timer(BUILD_AHEAD_PAUSE, self._build_ahead_soon)
            return
        self._building, self._building_from = todo[0], self.current_mode
        try:
            with self.batch_update():
                await super().switch_mode(todo[0])
                painted = asyncio.get_running_loop().create_future()
                self.screen.call_after_refresh(lambda: painted.done() or painted.set_result(None))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(painted, BUILD_AHEAD_WAIT)
                if self.is_running:  # not shut down meanwhile (a quit is a key: it waits)
                    self._put_back()
        finally:
            self._building = None
        if self.unbuilt_areas():
            self.set_timer(BUILD_AHEAD_GAP, self._build_ahead_soon)
        else:
            self._all_built()

    def _all_built(self) -> None:
        if not self.areas_built.is_set():
            self.freeze_heap()
            self.areas_built.set()

    def _put_back(self) -> None:
        """End the step under way, if any: the user's area on top again."""
        if self._building is not None:
            self._building = None
            super().switch_mode(self._building_from)

    # Whatever changes the screens during a step acts on the user's area, not the one built.

    def switch_mode(self, mode: str) -> AwaitMount:
        self._put_back()
        return super().switch_mode(mode)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self._put_back()
        return super().push_screen(*args, **kwargs)

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        self._put_back()
        return super().switch_screen(screen)

    def pop_screen(self) -> AwaitComplete:
        self._put_back()
        return super().pop_screen()
