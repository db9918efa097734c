"""What every dialog shares: it closes once, and its enter waits for what was typed."""

from __future__ import annotations

import inspect
from typing import ClassVar, TypeVar, cast

from textual.actions import parse
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen

from bc_tui.shell import DataChanged, ServicesApp
from bc_tui.widgets.footer import KeysFooter

ResultType = TypeVar("ResultType")


async def run_unchecked(node: DOMNode, action: str) -> None:
    """Run a palette command's action on `node` even where its key is off (`check_action`),
    as Textual's `run_action` would not: the action itself then says why it cannot be done
    (who may, what to choose first) instead of the command doing nothing."""
    _, name, params = parse(action)
    result = getattr(node, f"action_{name}")(*params)
    if inspect.isawaitable(result):
        await result


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

    # `?` in a dialog too (the README says everywhere): the app's keys do not reach a modal.
    # Before the part with the focus (a pick list took it to jump to a name; a form's field
    # leaves it, see `TextField`).
    # Tab and shift+tab move on after the keys typed before them (`action_after_typing`):
    # they climbed from the field to the app's bindings behind the keys after them, so in
    # a burst "12345", tab, "Acme" all went into the first field. (No description: `?`
    # lists them with the moving keys.)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.keys", "Keys", key_display="?", priority=True),
        Binding("tab", "after_typing('app.focus_next')", "", show=False, priority=True),
        Binding("shift+tab", "after_typing('app.focus_previous')", "", show=False, priority=True),
    ]

    #: (title, help, action) in the command palette while the dialog is open, for each of its
    #: keys that acts (as an area's `PALETTE`: every action is reachable from there too).
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = ()

    def screen_commands(self) -> list[tuple[str, str, str]]:
        return list(self.PALETTE)

    async def run_palette_action(self, action: str) -> None:
        await run_unchecked(self, action)

    @property
    def closing(self) -> bool:
        """Dismissed already: what it was opened for is done, or was cancelled."""
        return self._dismissed

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissed:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)

    def __init__(self) -> None:
        super().__init__()
        #: The app's data generation this dialog shows (it reads the data as it opens).
        self._generation = cast(ServicesApp, self.app).generation

    def reload(self) -> None:
        """Show again what the dialog shows of the data, which another process (or the
        phone) changed: nothing by default, for a dialog that shows only what was typed."""

    def on_data_changed(self, _: DataChanged) -> None:
        self._catch_up()

    def on_screen_suspend(self) -> None:
        """Under another screen (`?`, the palette, a confirmation) the key bar goes, as an
        area's does: it listed this dialog's keys under a screen they do not reach."""
        for bar in self.query(KeysFooter):
            bar.visible = False

    def on_screen_resume(self) -> None:
        """On top again (a confirmation or the palette closed): a change made meanwhile."""
        for bar in self.query(KeysFooter):
            bar.visible = True
        if self._generation != cast(ServicesApp, self.app).generation:
            self._catch_up()

    def _catch_up(self) -> None:
        """Reload, if the dialog is open and on top: a dialog under another one waits until
        it is on top again (`on_screen_resume`). Dismissed from under another, Textual would
        close the one on top instead, and this one could not be closed any more."""
        if self.closing or not self.is_active:
            return
        self._generation = cast(ServicesApp, self.app).generation
        self.reload()

    def action_after_typing(self, action: str) -> None:
        """Run `action` after the keys typed before the key bound to this, and before the
        ones after it (`ServicesApp.run_after_keys`): for enter, a priority key, which sends
        a form from any of its fields. Not if the dialog was closed meanwhile (an escape
        typed just before), or is no longer on top.

        Once the dialog has closed, the keys typed after enter in the same burst are let go
        of, as they were when they reached the closing dialog: a double tap of enter sends a
        form once and does not also press enter on the screen under it."""
        app = cast(ServicesApp, self.app)

        async def run() -> None:
            if not self.closing and self.is_active:
                await self.run_action(action)
            if self.closing:
                app.drop_held_keys()

        app.run_after_keys(run, through=self.focused or self)
