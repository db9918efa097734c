"""Move money between the Business Center and one ad account: recharge it, or refund from it.

The dialog carries one request ID from the moment it opens, so pressing enter twice, or
retrying after the database was busy, can never move the money twice.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from bc_tui.domain import labels
from bc_tui.domain.errors import ValidationError
from bc_tui.domain.models import TransactionType
from bc_tui.domain.money import parse_amount
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.services.billing_view import AdAccountRow
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.text_field import TextField
from bc_tui.widgets.toggles import Choice, Choices

KINDS = (
    (TransactionType.RECHARGE, "Recharge — Business Center → this ad account"),
    (TransactionType.REFUND, "Refund — this ad account → Business Center"),
)


class TransferDialog(FormDialog[str]):
    """Returns a sentence saying what moved, or None if cancelled."""

    SUBMIT = "Transfer"
    # The amount first: typed into the kind's options, digits vanished, and enter then said
    # the amount was empty. Recharge is chosen already; shift+tab reaches Refund.
    AUTO_FOCUS = "#transfer-amount"

    def __init__(self, ad_account: AdAccountRow, bc_balance: int, currency: str) -> None:
        super().__init__()
        self.ad_account = ad_account
        self.bc_balance = bc_balance
        self.currency = currency
        self.request_id = ""

    def on_mount(self) -> None:
        self.request_id = "tr-" + business_app(self).services.ids.new_id()

    def compose(self) -> ComposeResult:
        account = self.ad_account
        with Vertical(classes="dialog"):
            yield Static(Text(f"Transfer money — {account.name}"), classes="dialog-title")
            yield Static(self._balances(), id="transfer-balances", classes="dialog-body")
            with Choices(id="transfer-kind"):
                for index, (_, label) in enumerate(KINDS):
                    yield Choice(label, value=index == 0)
            yield Static(f"Amount ({self.currency})", classes="dialog-body")
            yield TextField(placeholder="250.00", id="transfer-amount", max_length=20)
            yield Static(id="transfer-preview", classes="dialog-note")
            yield self.error_line()
            yield from self.buttons()
            yield Static(
                "shift+tab then ↑↓ for a refund · enter transfers · esc cancels",
                classes="dialog-keys",
            )
        yield KeysFooter()

    def _balances(self) -> Text:
        account = self.ad_account
        return Text(
            f"Business Center holds {labels.money(self.bc_balance, self.currency)}. "
            f"{account.name} has {labels.money(account.cash_balance, self.currency)} in cash "
            f"and {labels.money(account.grant_balance, self.currency)} in grants "
            "(grants cannot be refunded)."
        )

    def reload(self) -> None:
        """The balances as they are now: spent or topped up in another app since the dialog
        opened, they were shown (and the preview worked them out) as they were then."""
        app = business_app(self)
        view = app.services.billing_views.overview(app.actor)
        wanted = self.ad_account.advertiser_id
        row = next((row for row in view.ad_accounts if row.advertiser_id == wanted), None)
        if row is None:  # gone, or no longer to be seen: the transfer will say why
            return
        self.ad_account, self.bc_balance = row, view.bc_balance
        self.query_one("#transfer-balances", Static).update(self._balances())
        self._preview()

    @property
    def kind(self) -> TransactionType:
        return KINDS[max(self.query_one("#transfer-kind", RadioSet).pressed_index, 0)][0]

    @on(Input.Changed, "#transfer-amount")
    @on(RadioSet.Changed, "#transfer-kind")
    def _changed(self) -> None:
        """A new amount or kind: its preview, and no error about the one sent before."""
        self.query_one("#error", Static).display = False
        self._preview()

    def _preview(self) -> None:
        """What the balances will be, as the amount is typed."""
        preview = self.query_one("#transfer-preview", Static)
        try:
            minor = parse_amount(self.query_one("#transfer-amount", Input).value)
        except ValidationError:
            preview.update("")
            return
        sign = 1 if self.kind is TransactionType.RECHARGE else -1
        money, account = labels.money, self.ad_account
        center, cash = self.bc_balance - sign * minor, account.cash_balance + sign * minor
        # Said as it is typed, not only on enter, in the error line, which a small terminal
        # scrolls into view (at 80x24 a line under the preview was out of sight); with no
        # "After" of a balance below zero, which cannot come to be.
        whose = "the Business Center" if center < 0 else "the ad account" if cash < 0 else ""
        if whose:
            preview.update("")
            self.show_error(f"amount: more than {whose} has — enter will refuse it")
            return
        preview.update(
            Text(
                f"After: Business Center {money(center, self.currency)}"
                f" · {account.name} {money(cash, self.currency)}"
            )
        )

    def action_submit(self) -> None:
        app = business_app(self)
        kind = self.kind
        result = app.attempt(
            app.services.billing.transfer,
            self.ad_account.advertiser_id,
            kind,
            self.query_one("#transfer-amount", Input).value,
            self.request_id,
            on_error=self.show_error,
        )
        if result.ok:
            money = labels.money(result.value.amount, result.value.currency)
            verb = "recharged with" if kind is TransactionType.RECHARGE else "refunded"
            self.dismiss(f"{self.ad_account.name} {verb} {money}.")
