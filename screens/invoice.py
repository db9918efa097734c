"""One invoice: its period, what it covers, the card it is charged to, and whether it is paid."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from bc_tui.domain import labels
from bc_tui.domain.models import InvoiceGroup
from bc_tui.screens.dialog import Dialog
from bc_tui.services.billing_view import InvoiceDetail, InvoiceStatus
from bc_tui.styles import stylesheet

_STATUS = {
    InvoiceStatus.PAID: ("Paid", "green"),
    InvoiceStatus.UNPAID: ("Unpaid", "yellow"),
    InvoiceStatus.OVERDUE: ("Overdue", "bold red"),
}


class InvoiceDialog(Dialog[None]):
    CSS_PATH = stylesheet("dialogs.tcss")
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, detail: InvoiceDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        invoice = self.detail.invoice
        status, style = _STATUS[invoice.status]
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="dim")
        facts.add_column()
        facts.add_row(
            "Billing",
            "Consolidated — one invoice for the shared portfolio"
            if invoice.group is InvoiceGroup.ACCOUNT
            else "Separate — one invoice for this ad account",
        )
        facts.add_row(
            "Period",
            f"{invoice.period_start:%Y-%m-%d} – {invoice.period_end:%Y-%m-%d}",
        )
        facts.add_row("Amount", Text(labels.money(invoice.amount, invoice.currency), "bold"))
        facts.add_row("Due", f"{invoice.due_at:%Y-%m-%d}")
        facts.add_row("Status", Text(status, style))
        facts.add_row("Charged to", Text(self.detail.paid_by))
        facts.add_row("Covers", Text("\n".join(self.detail.covers) or "—"))
        with Vertical(classes="dialog"):
            yield Static(Text(f"Invoice {invoice.invoice_id}"), classes="dialog-title")
            yield Static(facts, classes="dialog-body")
            yield Static("esc or enter closes", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
