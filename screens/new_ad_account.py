"""Create an ad account owned by this Business Center (Admin): a name is all it needs here.

It starts in review, with its creator as its Admin, and is billed through the shared
portfolio when the Business Center has a default card.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from bc_tui.domain.models import AdAccount
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.text_field import TextField


class NewAdAccountDialog(FormDialog[AdAccount]):
    SUBMIT = "Create"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Create an ad account", classes="dialog-title")
            yield Static("Name", classes="dialog-body")
            yield TextField(placeholder="Northwind Tea — EU", id="ad-account-name", max_length=100)
            yield self.error_line()
            yield Static(
                "It starts in review, with you as its Admin; the currency is the Business "
                "Center's. It is billed with the shared portfolio on the default card, if "
                "there is one, until a Finance Manager bills it on its own (o in Billing).",
                classes="dialog-note",
            )
            yield from self.buttons()
            yield Static("enter creates · esc cancels", classes="dialog-keys")
        yield KeysFooter()

    def action_submit(self) -> None:
        app = business_app(self)
        self.submit_to(
            app.services.billing.create_ad_account,
            self.query_one("#ad-account-name", Input).value,
        )
