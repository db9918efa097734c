"""Add TikTok Account, step one: which account, and Request access or Claim ownership."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from bc_tui.domain import labels, validation
from bc_tui.domain.errors import ValidationError
from bc_tui.domain.models import RequestKind
from bc_tui.screens.base import business_app
from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.text_field import TextField

EXPLANATIONS = {
    RequestKind.REQUEST_ACCESS: (
        "The one you'll use 99% of the time: agencies and managers. The Business Center may use "
        "the account for advertising and reporting; the owner keeps control and can revoke "
        "access at any time."
    ),
    RequestKind.CLAIM_OWNERSHIP: (
        "A permanent transfer of the account into this Business Center, for accounts your "
        "company fully owns. Once claimed by one Business Center it cannot be claimed by "
        "another."
    ),
}


class ChoiceCard(Static, can_focus=True):
    """One of the two ways to add an account; enter (the dialog's) or a click chooses it."""

    class Chosen(Message):
        def __init__(self, kind: RequestKind) -> None:
            super().__init__()
            self.kind = kind

    def __init__(self, kind: RequestKind) -> None:
        text = Text.assemble((labels.REQUEST_KIND[kind], "bold"), "\n", EXPLANATIONS[kind])
        super().__init__(text, classes="choice-card", id=kind.value.lower())
        self.kind = kind

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.kind))

    def on_click(self) -> None:
        self.action_choose()


class AddAccountDialog(Dialog[tuple[str, RequestKind] | None]):
    """Returns the clean handle and the chosen kind, after the service has checked both."""

    CSS_PATH = [stylesheet("dialogs.tcss"), stylesheet("add_account.tcss")]
    BINDINGS = [
        # After the keys typed before it, as a form's: in a burst ("xy", enter, enter) the
        # field took the second enter too, and the options were never chosen.
        Binding("enter", "after_typing('proceed')", "Next · choose", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("left", "card(-1)", "Previous", show=False),
        Binding("right", "card(1)", "Next", show=False),
    ]

    def __init__(self, handle: str = "", kind: RequestKind | None = None) -> None:
        """`handle` and `kind`: as chosen before, when a later step went back to this one."""
        super().__init__()
        self._handle = handle
        self._kind = kind

    def compose(self) -> ComposeResult:
        yield KeysFooter()
        with Vertical(classes="dialog -wide"):
            yield Static("Add TikTok account", classes="dialog-title")
            yield TextField(self._handle, placeholder="@handle of the TikTok account", id="handle")
            error = Static(id="error", classes="dialog-error")
            error.display = False
            yield error
            with Horizontal(id="choices"):
                yield ChoiceCard(RequestKind.REQUEST_ACCESS)
                yield ChoiceCard(RequestKind.CLAIM_OWNERSHIP)
            yield Static(
                "type the handle or paste the profile's address · enter/tab to the options · ←→ "
                "pick · enter choose · esc cancel · ? keys",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        if self._kind is not None:  # (back from a later step: on the option chosen there)
            self.query_one(f"#{self._kind.value.lower()}", ChoiceCard).focus()

    @on(Input.Changed, "#handle")
    def _handle_changed(self) -> None:
        """What the error said was of the handle as it was: it went on showing beside the
        options for a handle since corrected."""
        self.query_one("#error", Static).display = False

    def action_proceed(self) -> None:
        """Enter: from the handle to the options (if it is a handle at all: "/x" went on to
        the options and was refused only once one was chosen); on an option, choose it."""
        if isinstance(self.focused, ChoiceCard):
            self.focused.action_choose()
            return
        try:
            validation.handle(self.query_one("#handle", Input).value)
        except ValidationError as error:
            self._show_error(str(error))
            return
        self.query_one(ChoiceCard).focus()

    def action_card(self, step: int) -> None:
        cards = list(self.query(ChoiceCard))
        if self.focused in cards:
            index = (cards.index(self.focused) + step) % len(cards)  # type: ignore[arg-type]
            cards[index].focus()

    @on(ChoiceCard.Chosen)
    def _chosen(self, event: ChoiceCard.Chosen) -> None:
        if self.closing:  # a second click, handled before the dialog went
            return
        app = business_app(self)
        handle_input = self.query_one("#handle", Input)
        result = app.attempt(
            app.services.linking.check_request,
            handle_input.value,
            event.kind,
            on_error=self._show_error,
            changes_data=False,
        )
        if result.ok:
            self.dismiss((result.value, event.kind))
        else:
            handle_input.focus()

    def _show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(message))
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)
