"""What every dialog shares: it closes once, and its enter waits for what was typed."""

from __future__ import annotations

from typing import TypeVar, cast

from textual import on
from textual.await_complete import AwaitComplete
from textual.message import Message
from textual.screen import ModalScreen

from bc_tui.shell import ServicesApp

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen that closes once.

    Two keys or clicks can both be handled before a dialog has gone: a double click on its
    button, enter twice in one burst (over SSH keys come in bursts). Textual's `dismiss` pops
    whatever screen is on top, so a second one ran the dialog's callback again (a confirmed
    removal was done twice: an account revoked, then its entry cleared) and then closed the
    screen under the dialog, or, with none under it, ended the app with ScreenStackError.
    Handlers that act before dismissing (a form's submit button) check `closing` first.
    """

    _dismissed = False

    class _AfterTyping(Message):
        """Sent through the focused widget, so it arrives behind the keys sent there first."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    @property
    def closing(self) -> bool:
        """Dismissed already: what it was opened for is done, or was cancelled."""
        return self._dismissed

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissed:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)

    def action_after_typing(self, action: str) -> None:
        """Run `action` after the keys typed before the key bound to this, and before the
        ones typed after it: for a priority key (enter submits a form from any field).

        Textual runs a priority binding as its key arrives, but hands each key before it to
        the focused widget, whose queue it then climbs to the app's bindings: in one burst of
        keys (a paste, fast typing over SSH) enter submitted before the last characters
        reached the field ("100" then enter recharged 1.00), and before an escape typed
        ahead of it. The action climbs the same way, behind them, and runs from the app's
        queue, behind an escape on its way; the keys after it are kept back until it has run
        (`hold_keys`), or "100", enter and "5" would recharge 1,005.00. It is not run if the
        dialog was closed meanwhile, or is no longer on top."""
        cast(ServicesApp, self.app).hold_keys()
        (self.focused or self).post_message(self._AfterTyping(action))

    @on(_AfterTyping)
    def _after_typing(self, message: _AfterTyping) -> None:
        message.stop()
        self.app.call_later(self._run_after_typing, message.action)

    async def _run_after_typing(self, action: str) -> None:
        try:
            if not self.closing and self.is_active:
                await self.run_action(action)
        finally:
            cast(ServicesApp, self.app).release_keys()
