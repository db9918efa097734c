"""What every dialog shares: it closes once."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

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

    @property
    def closing(self) -> bool:
        """Dismissed already: what it was opened for is done, or was cancelled."""
        return self._dismissed

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissed:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)
