"""Add a payment card: number, expiry, security code and holder, checked by the service.

The number and the security code live only in these inputs: the service keeps the brand,
the last four digits, the expiry and the holder, and the inputs are blanked once it has.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from bc_tui.domain.cards import card_label
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.text_field import TextField


class AddCardDialog(FormDialog[str]):
    """Returns the new card's label ('Visa •••• 4242'), or None if cancelled."""

    SUBMIT = "Add card"
    FIELDS: ClassVar[dict[str, str]] = {
        "card number": "#card-number",
        "expiry": "#card-expiry",
        "security code": "#card-code",
        "cardholder name": "#card-holder",
    }

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Add a payment card", classes="dialog-title")
            yield Static("Card number", classes="dialog-body")
            yield TextField(
                placeholder="1234 1234 1234 1234",
                id="card-number",
                max_length=23,
                restrict=r"[0-9 \-]*",
            )
            with Horizontal(classes="card-row"):
                with Vertical():
                    yield Static("Expiry", classes="dialog-body")
                    yield TextField(placeholder="MM/YY", id="card-expiry", max_length=7)
                with Vertical():
                    yield Static("Security code", classes="dialog-body")
                    yield TextField(
                        placeholder="CVC",
                        id="card-code",
                        password=True,
                        max_length=4,
                        restrict=r"[0-9]*",
                    )
            yield Static("Name on the card", classes="dialog-body")
            yield TextField(placeholder="Name as on the card", id="card-holder", max_length=60)
            yield self.error_line()
            yield Static(
                "Only the brand, the last 4 digits, the expiry and the name are kept.",
                classes="dialog-note",
            )
            yield from self.buttons()
            yield Static("tab moves · enter adds · esc cancels", classes="dialog-keys")
        yield KeysFooter()

    def action_submit(self) -> None:
        app = business_app(self)
        number = self.query_one("#card-number", Input)
        code = self.query_one("#card-code", Input)
        result = app.attempt(
            app.services.billing.add_card,
            number.value,
            self.query_one("#card-expiry", Input).value,
            code.value,
            self.query_one("#card-holder", Input).value,
            on_error=self.show_error,
        )
        if result.ok:
            number.value = ""
            code.value = ""
            self.dismiss(card_label(result.value.brand, result.value.last4))
