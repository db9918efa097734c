"""Billing: ad accounts and their balances, payment methods, invoices and transfers.

Needs a finance role; without one the screen says so and who can grant it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from bc_tui.domain import labels
from bc_tui.screens.base import AreaScreen
from bc_tui.services.views import InvoiceStatus
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import plain

_INVOICE_STYLE = {
    InvoiceStatus.PAID: "green",
    InvoiceStatus.UNPAID: "yellow",
    InvoiceStatus.OVERDUE: "bold red",
}


class BillingScreen(AreaScreen):
    AREA = "billing"
    LABEL = "Billing"
    CSS_PATH = stylesheet("billing.tcss")

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary")
        with TabbedContent(id="billing-tabs"):
            with TabPane("Ad accounts", id="tab-ad-accounts"):
                yield self.row_table(
                    "ad-accounts",
                    ("Ad account", "Status", "Billing", "Cash", "Grant", "Paid by", "ID"),
                )
            with TabPane("Payment methods", id="tab-payment-methods"):
                yield self.row_table("payment-methods", ("Card", "Expires", "Holder", "Default"))
            with TabPane("Invoices", id="tab-invoices"):
                yield self.row_table(
                    "invoices", ("Invoice", "Period", "For", "Amount", "Due", "Status")
                )
            with TabPane("Transfers", id="tab-transfers"):
                yield self.row_table("transfers", ("Time", "Type", "Ad account", "Amount"))

    def load(self) -> None:
        app = self.bc_app
        view = app.services.views.billing(app.actor)
        tabs = self.query_one("#billing-tabs", TabbedContent)
        summary = self.query_one("#summary", Static)
        tabs.display = view.allowed
        if not view.allowed:
            summary.update(Text(view.reason, style="bold"))
            return
        zone = ZoneInfo(app.services.views.business_center(app.actor.bc_id).timezone)

        def day(when: object) -> str:
            return when.astimezone(zone).strftime("%Y-%m-%d")  # type: ignore[attr-defined]

        ad_accounts = self._reset("#ad-accounts")
        for row in view.ad_accounts:
            ad_accounts.add_row(
                plain(row.name),
                plain(row.status.value.replace("_", " ").title()),
                plain("Shared" if row.portfolio.value == "SHARED" else "Separate"),
                plain(labels.money(row.cash_balance, row.currency)),
                plain(labels.money(row.grant_balance, row.currency)),
                plain(row.payment_method),
                plain(row.advertiser_id),
            )
        methods = self._reset("#payment-methods")
        for method in view.payment_methods:
            methods.add_row(
                plain(f"{method.brand} •••• {method.last4}"),
                plain(f"{method.exp_month:02d}/{method.exp_year}"),
                plain(method.holder),
                plain("Default" if method.is_default else ""),
            )
        invoices = self._reset("#invoices")
        for invoice in view.invoices:
            invoices.add_row(
                plain(invoice.invoice_id),
                plain(f"{day(invoice.period_start)} – {day(invoice.period_end)}"),
                plain(invoice.subject),
                plain(labels.money(invoice.amount, invoice.currency)),
                plain(day(invoice.due_at)),
                Text(invoice.status.value.title(), style=_INVOICE_STYLE[invoice.status]),
            )
        transfers = self._reset("#transfers")
        for transfer in view.transactions:
            transfers.add_row(
                plain(transfer.time.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
                plain(transfer.type.value.title()),
                plain(transfer.ad_account),
                plain(labels.money(transfer.amount, transfer.currency)),
            )
        shared = sum(row.portfolio.value == "SHARED" for row in view.ad_accounts)
        overdue = sum(row.status is InvoiceStatus.OVERDUE for row in view.invoices)
        text = (
            labels.count(len(view.ad_accounts), "ad account")
            + f" · {shared} on the shared payment method"
        )
        if overdue:
            text += f" · {labels.count(overdue, 'invoice')} overdue"
        summary.update(Text(text))

    def _reset(self, selector: str) -> DataTable[object]:
        table = self.query_one(selector, DataTable)
        table.clear()
        return table

    def focus_table(self) -> None:
        self.query_one("#ad-accounts", DataTable).focus()
