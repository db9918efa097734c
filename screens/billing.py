"""Billing: what the Business Center holds, who pays for which ad account, transfers, invoices.

Needs a finance role; without one the screen says so and who holds one. A Finance Analyst
sees everything and is offered no changes; a Finance Manager adds cards, moves ad accounts
between the shared portfolio and separate billing, and moves money.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import zip_longest
from operator import itemgetter
from zoneinfo import ZoneInfo

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from bc_tui.domain import labels
from bc_tui.domain.cards import card_label
from bc_tui.domain.models import InvoiceGroup, Portfolio
from bc_tui.domain.permissions import Action
from bc_tui.screens.add_card import AddCardDialog
from bc_tui.screens.base import AreaScreen
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.invoice import InvoiceDialog
from bc_tui.screens.picker import PickerDialog
from bc_tui.screens.transfer import TransferDialog
from bc_tui.services import Actor
from bc_tui.services.billing_view import AdAccountRow, BillingView, InvoiceStatus
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import ad_account_status, clip, plain
from bc_tui.widgets.summary import Summary
from bc_tui.widgets.table import VirtualTable

TABS = ("overview", "payment-methods", "ad-accounts", "transactions", "invoices")

_INVOICE_STYLE = {
    InvoiceStatus.PAID: "green",
    InvoiceStatus.UNPAID: "yellow",
    InvoiceStatus.OVERDUE: "bold red",
}
#: Which tab each change belongs to: its key is offered there only.
_ACTION_TAB = {
    "add_card": "payment-methods",
    "make_default": "payment-methods",
    "remove_card": "payment-methods",
    "transfer": "ad-accounts",
    "portfolio": "ad-accounts",
}
#: The tab each palette command's row is chosen on (the ones above, and invoice details,
#: which a Finance Analyst may open too).
_PALETTE_TAB = {**_ACTION_TAB, "invoice": "invoices"}


#: A row of a billing list: its key (the card's, ad account's, transaction's or invoice's id)
#: and its cells, made by the screen (the lists are short).
_Row = tuple[str, tuple[Text, ...]]


def _table(
    table_id: str, columns: tuple[str, ...], *, give_way: tuple[str, ...]
) -> VirtualTable[_Row]:
    """A billing list. Its free-text columns give way so the others fit 120 columns (a
    separate ad account's card, an invoice's subject were cut off at the edge)."""
    return VirtualTable(columns, itemgetter(1), key=itemgetter(0), give_way=give_way, id=table_id)


def period(start: datetime, end: datetime) -> str:
    """A billing period as invoices name it: 'Oct 2026' for a calendar month, else two dates.

    Billing dates are calendar dates as the invoice states them, not converted to a zone."""
    whole_month = start.day == 1 and (end + timedelta(days=1)).month != end.month
    if whole_month and (start.year, start.month) == (end.year, end.month):
        return f"{start:%b %Y}"
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


def amount(minor: int, currency: str, style: str = "") -> Text:
    """Money in a table: right-aligned, thousands separated, with its currency."""
    return Text(labels.money(minor, currency), style=style, justify="right", no_wrap=True)


class BillingScreen(AreaScreen):
    AREA = "billing"
    LABEL = "Billing"
    FILTER_PLACEHOLDER = "Filter the lists: cards, ad accounts, transactions, invoices"
    CSS_PATH = stylesheet("billing.tcss")
    AUTO_FOCUS = "#billing-tabs Tabs"
    BINDINGS = [
        Binding("right_square_bracket", "next_tab", "Next tab"),
        Binding("left_square_bracket", "previous_tab", "Prev tab", show=False),
        Binding("a", "add_card", "Add card"),
        Binding("d", "make_default", "Make default"),
        Binding("x", "remove_card", "Remove", tooltip="Remove card"),  # (the bar fits 120)
        Binding("t", "transfer", "Transfer"),
        Binding("o", "portfolio", "Portfolio"),
        Binding("enter", "invoice", "Details"),
    ]
    PALETTE = (
        ("Next billing tab", "Cards, ad accounts, transactions, invoices (])", "next_tab"),
        ("Previous billing tab", "([)", "previous_tab"),
        ("Add card", "A payment method for the Business Center", "add_card"),
        ("Make card the default", "It pays for the shared portfolio", "make_default"),
        ("Remove card", "Remove the selected payment method", "remove_card"),
        ("Transfer money", "Recharge the selected ad account, or refund from it", "transfer"),
        ("Change portfolio", "Shared or separate billing for the selected ad account", "portfolio"),
        ("Invoice details", "What the selected invoice covers", "invoice"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._view: BillingView | None = None
        #: Whose rows each table holds: another acting member or Business Center starts its
        #: columns afresh (a table's columns only grow: a long name in one Business Center
        #: kept every other one's columns off the screen).
        self._filled_for: dict[str, Actor] = {}

    def compose_body(self) -> ComposeResult:
        yield Summary()
        with TabbedContent(id="billing-tabs"):
            with TabPane("Overview", id="overview"), VerticalScroll(id="overview-scroll"):
                yield Static(id="overview-text")
            with TabPane("Payment methods", id="payment-methods"):
                yield _table(
                    "payment-method-table",
                    ("Card", "Expires", "Holder", "Default", "Pays for"),
                    give_way=("Holder", "Pays for"),
                )
            with TabPane("Ad accounts", id="ad-accounts"):
                yield _table(
                    "ad-account-table",
                    ("Ad account", "Status", "Billing", "Cash", "Grant", "Members", "Paid by"),
                    give_way=("Ad account",),  # (the card whole: which one pays)
                )
            with TabPane("Transactions", id="transactions"):
                yield _table(
                    "transaction-table",
                    ("Time", "Type", "Ad account", "Amount", "By", "Request"),
                    give_way=("Ad account", "By"),
                )
            with TabPane("Invoices", id="invoices"):
                yield _table(
                    "invoice-table",
                    ("Invoice", "Period", "Amount", "Due", "Status", "Billing", "For"),
                    give_way=("For",),
                )

    # --- showing ------------------------------------------------------------------------------

    def load(self) -> None:
        app = self.bc_app
        view = app.services.billing_views.overview(app.actor)
        self._view = view
        tabs = self.query_one("#billing-tabs", TabbedContent)
        summary = self.query_one(Summary)
        tabs.display = view.allowed
        self.set_viewable(view.allowed)
        self.refresh_bindings()
        if not view.allowed:
            summary.say(Text(view.reason, style="bold"))
            return
        zone = app.zone
        text = self._summary(view)
        if self.query_text:
            text.append(f" · lists filtered: {self.query_text}")
        summary.say(text)
        self.query_one("#overview-text", Static).update(self._overview(view))
        self._fill_payment_methods(view)
        self._fill_ad_accounts(view)
        self._fill_transactions(view, zone)
        self._fill_invoices(view)

    @staticmethod
    def _summary(view: BillingView) -> Text:
        text = Text()
        text.append("Business Center balance ")
        text.append(labels.money(view.bc_balance, view.currency), style="bold")
        text.append(f" · {labels.count(len(view.ad_accounts), 'ad account')}")
        text.append(f" · {len(view.shared)} shared, {len(view.separate)} separate")
        if not view.can_manage:
            text.append(" · view only (Finance Analyst)", style="italic")
        return text

    @staticmethod
    def _overview(view: BillingView) -> Group:
        """Balances, who shares what, and what needs attention — at a glance."""
        currency = view.currency
        cash = sum(row.cash_balance for row in view.ad_accounts)
        grant = sum(row.grant_balance for row in view.ad_accounts)
        balances = Table.grid(padding=(0, 2))
        balances.add_column()
        balances.add_column(justify="right")
        balances.add_column(style="dim")
        balances.add_row(
            "Business Center", labels.money(view.bc_balance, currency), "to recharge ad accounts"
        )
        balances.add_row("Ad accounts, cash", labels.money(cash, currency), "spendable")
        balances.add_row("Ad accounts, grants", labels.money(grant, currency), "vouchers")

        def accounts(rows: tuple[AdAccountRow, ...], with_card: bool) -> Table:
            table = Table.grid(padding=(0, 2))
            table.add_column()
            table.add_column(justify="right")
            table.add_column(style="dim")
            for row in rows:
                table.add_row(
                    Text("  " + clip(row.name)),  # (a long one wrapped, the amounts out of line)
                    labels.money(row.cash_balance, currency),
                    Text(row.payment_method if with_card else ""),
                )
            if not rows:
                table.add_row(Text("  none", style="dim"), "", "")
            return table

        default = view.default_method
        shared_title = (
            f"Shared portfolio — {default.label} (default card) pays for "
            f"{labels.count(len(view.shared), 'ad account')}"
            if default
            else "Shared portfolio — no default card yet"
        )
        attention: list[Text] = []
        for row in view.ad_accounts:
            if row.low:
                attention.append(
                    Text(
                        f"  Low balance: {row.name} has "
                        f"{labels.money(row.cash_balance, currency)} in cash",
                        style="yellow",
                    )
                )
            if row.unpaid:
                attention.append(Text(f"  No payment method: {row.name}", style="yellow"))
        for method in view.payment_methods:
            if method.ending and method.pays_for:  # (the charges it carries would fail)
                when = f"{method.exp_month:02d}/{method.exp_year}"
                attention.append(
                    Text(
                        f"  Card {method.ending} ({when}): {method.label} pays for "
                        f"{labels.count(len(method.pays_for), 'ad account')} — add another (a)",
                        style="yellow" if method.ending == "expires" else "bold red",
                    )
                )
        for invoice in view.invoices:
            if invoice.status is InvoiceStatus.OVERDUE:
                attention.append(
                    Text(
                        f"  Overdue: {invoice.invoice_id}, "
                        f"{labels.money(invoice.amount, invoice.currency)}",
                        style="bold red",
                    )
                )
        if not attention:
            attention.append(Text("  nothing", style="dim"))
        parts: list[object] = [
            Text("Balances", style="bold"),
            balances,
            Text(""),
            Text(shared_title, style="bold"),
            accounts(view.shared, with_card=False),
            Text(""),
            Text("Separate billing — each pays with its own card", style="bold"),
            accounts(view.separate, with_card=True),
            Text(""),
            Text("Needs attention", style="bold"),
            *attention,
        ]
        if not view.can_manage:
            parts += [Text(""), Text(view.manage_reason, style="italic")]
        return Group(*parts)  # type: ignore[arg-type]

    def _fill_payment_methods(self, view: BillingView) -> None:
        rows = [
            (
                method.payment_method_id,
                (
                    plain(method.label),
                    plain(f"{method.exp_month:02d}/{method.exp_year}"),
                    plain(clip(method.holder)),
                    Text("Default", style="bold") if method.is_default else plain(""),
                    plain(clip(", ".join(method.pays_for)) or "—"),
                ),
            )
            for method in view.payment_methods
        ]
        whole = [f"{m.holder}\0{', '.join(m.pays_for)}" for m in view.payment_methods]
        self._fill("#payment-method-table", rows, whole)

    def _fill_ad_accounts(self, view: BillingView) -> None:
        rows = [
            (
                row.advertiser_id,
                (
                    plain(clip(row.name)),
                    ad_account_status(row.status),
                    plain("Shared" if row.portfolio is Portfolio.SHARED else "Separate"),
                    amount(row.cash_balance, row.currency, "yellow" if row.low else ""),
                    amount(row.grant_balance, row.currency),
                    Text(str(row.members), justify="right"),
                    plain(row.payment_method),
                ),
            )
            for row in view.ad_accounts
        ]
        self._fill("#ad-account-table", rows, [row.name for row in view.ad_accounts])

    def _fill_transactions(self, view: BillingView, zone: ZoneInfo) -> None:
        rows = [
            (
                row.transaction_id,
                (
                    plain(row.time.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
                    plain(row.type.value.title()),
                    plain(clip(row.ad_account)),
                    amount(row.amount, row.currency),
                    plain(row.operator),
                    plain(row.request_id),
                ),
            )
            for row in view.transactions
        ]
        self._fill("#transaction-table", rows, [row.ad_account for row in view.transactions])

    def _fill_invoices(self, view: BillingView) -> None:
        rows = [
            (
                invoice.invoice_id,
                (
                    plain(invoice.invoice_id),
                    plain(period(invoice.period_start, invoice.period_end)),
                    amount(invoice.amount, invoice.currency),
                    plain(f"{invoice.due_at:%Y-%m-%d}"),
                    Text(invoice.status.value.title(), style=_INVOICE_STYLE[invoice.status]),
                    plain("Consolidated" if invoice.group is InvoiceGroup.ACCOUNT else "Separate"),
                    plain(clip(invoice.subject)),
                ),
            )
            for invoice in view.invoices
        ]
        self._fill("#invoice-table", rows, [invoice.subject for invoice in view.invoices])

    def _fill(self, selector: str, rows: list[_Row], whole: Sequence[str] = ()) -> None:
        """Replace a table's rows, keeping the cursor on the same row: the one with the same
        key if it is still there (a change can re-sort: a card made default moves to the top,
        and by row number the cursor was left on the card that `x` would then remove), else
        the same row number (a reload must not throw the person back to the top): as
        `VirtualTable.show` does. `whole`: each row's text that its cells show cut short (a
        long name), for the filter."""
        needle = self.query_text.casefold()
        if needle:  # (`/`: the rows with the text in any cell)
            rows = [
                (key, cells)
                for (key, cells), more in zip_longest(rows, whole, fillvalue="")
                if needle in "\0".join((*(cell.plain for cell in cells), more)).casefold()
            ]
        table: VirtualTable[_Row] = self.query_one(selector, VirtualTable)
        actor = self.bc_app.actor
        if self._filled_for.setdefault(selector, actor) != actor:
            self._filled_for[selector] = actor
            table.set_columns(table.column_labels)
            table.show(())  # (and the cursor starts at the top)
        table.show(rows)

    def focus_table(self) -> None:
        tabs = self.query_one("#billing-tabs", TabbedContent)
        tables = tabs.active_pane.query(VirtualTable) if tabs.active_pane else None
        if tables:
            tables.first().focus()
        else:  # (Overview has no list: the tabs take the keys, so ] and [ work)
            self.query_one("#billing-tabs Tabs").focus()

    # --- tabs ---------------------------------------------------------------------------------

    @property
    def tab(self) -> str:
        return self.query_one("#billing-tabs", TabbedContent).active

    def _show_tab(self, tab: str) -> None:
        self.query_one("#billing-tabs", TabbedContent).active = tab
        self.focus_table()

    def palette_action(self, action: str) -> str:
        """A card's or an ad account's command first shows its tab, where its row is chosen
        (from another tab it would act on a row out of sight)."""
        tab = _PALETTE_TAB.get(action)
        return f"on_tab({tab!r}, {action!r})" if tab else action

    def _refused(self) -> bool:
        """Say who may, if the acting user may not see billing (no tabs to show); True then.
        (The palette runs a command whose key is off here.)"""
        view = self._view
        if view is not None and not view.allowed:
            self.bc_app.notify(view.reason, title="Billing", severity="warning")
            return True
        return False

    def action_on_tab(self, tab: str, action: str) -> None:
        if self._refused():
            return
        self._show_tab(tab)
        self.call_after_refresh(self.run_palette_action, action)

    def action_next_tab(self) -> None:
        if not self._refused():  # (it moved the hidden tabs: the next user saw another)
            self._show_tab(TABS[(TABS.index(self.tab) + 1) % len(TABS)])

    def action_previous_tab(self) -> None:
        if not self._refused():
            self._show_tab(TABS[(TABS.index(self.tab) - 1) % len(TABS)])

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self._view
        if action in ("next_tab", "previous_tab"):
            return view is not None and view.allowed
        if action == "invoice":
            return view is not None and view.allowed and self.tab == "invoices"
        if action in _ACTION_TAB:
            return view is not None and view.can_manage and self.tab == _ACTION_TAB[action]
        return super().check_action(action, parameters)

    # --- changes ------------------------------------------------------------------------------

    def _row_key(self, selector: str) -> str | None:
        key = self.query_one(selector, VirtualTable).cursor_key
        return str(key) if key is not None else None

    def action_add_card(self) -> None:
        if not self.bc_app.explain_if_forbidden(Action.MANAGE_BILLING):
            return

        def done(label: str | None) -> None:
            if label:
                self.bc_app.notify(f"{label} added.")

        self.bc_app.push_screen(AddCardDialog(), done)

    def action_make_default(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.MANAGE_BILLING):
            return
        method_id = self._row_key("#payment-method-table")
        if method_id is None:
            return
        result = app.attempt(app.services.billing.set_default_card, method_id)
        if result.ok:
            method = result.value
            app.notify(
                f"{card_label(method.brand, method.last4)} is now the default: "
                "it pays for the shared portfolio."
            )

    def action_remove_card(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.MANAGE_BILLING):
            return
        view, method_id = self._view, self._row_key("#payment-method-table")
        if view is None or method_id is None:
            return
        method = next(m for m in view.payment_methods if m.payment_method_id == method_id)
        blocked = app.attempt(app.services.billing.removal_blocker, method_id, changes_data=False)
        if not blocked.ok:
            return
        if blocked.value is not None:
            app.notify(blocked.value, title="Cannot remove this card", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                result = app.attempt(app.services.billing.remove_card, method_id)
                if result.ok:
                    app.notify(f"{method.label} removed.")

        body = f"{method.label}, {method.holder}, expires {method.exp_month:02d}/{method.exp_year}."
        if method.is_default:
            body += " It is the default card; another card becomes the default."
        app.push_screen(ConfirmDialog("Remove this card?", body, "Remove card"), confirmed)

    def _selected_ad_account(self) -> AdAccountRow | None:
        view, advertiser_id = self._view, self._row_key("#ad-account-table")
        if view is None or advertiser_id is None:
            return None
        return next((row for row in view.ad_accounts if row.advertiser_id == advertiser_id), None)

    def action_transfer(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.MANAGE_BILLING):
            return
        row = self._selected_ad_account()
        if row is None or self._view is None:
            return

        def done(message: str | None) -> None:
            if message:
                app.notify(message)

        app.push_screen(TransferDialog(row, self._view.bc_balance, self._view.currency), done)

    def action_portfolio(self) -> None:
        app, view = self.bc_app, self._view
        if not app.explain_if_forbidden(Action.MANAGE_BILLING):
            return
        row = self._selected_ad_account()
        if row is None or view is None:
            return
        default = view.default_method
        choices = [
            (
                "shared",
                f"Shared portfolio — paid by {default.label}, the default card"
                if default
                else "Shared portfolio — add a card first",
            )
        ]
        choices += [
            (m.payment_method_id, f"Separate billing — paid by {m.label} alone")
            for m in view.payment_methods
        ]
        # (A separate account with no card has no choice of these: moving it to the shared
        # portfolio was taken for choosing what it already had, and did nothing.)
        current = "shared" if row.portfolio is Portfolio.SHARED else row.payment_method_id

        def chosen(choice: str | None) -> None:
            if choice is None or choice == current:
                return
            if choice == "shared":
                result = app.attempt(
                    app.services.billing.move_ad_account, row.advertiser_id, Portfolio.SHARED
                )
            else:
                result = app.attempt(
                    app.services.billing.move_ad_account,
                    row.advertiser_id,
                    Portfolio.NON_SHARED,
                    choice,
                )
            if result.ok:
                label = dict(choices)[choice].replace(" — ", ": ", 1)
                app.notify(f"{row.name} — {label}.")

        app.push_screen(
            PickerDialog(f"How is {row.name} billed?", "Billing", choices, current), chosen
        )

    @on(VirtualTable.RowSelected, "#invoice-table")
    def action_invoice(self) -> None:
        app = self.bc_app
        invoice_id = self._row_key("#invoice-table")
        if invoice_id is None or self.dialog_open:
            return
        result = app.attempt(app.services.billing_views.invoice, invoice_id, changes_data=False)
        if result.ok:
            app.push_screen(InvoiceDialog(result.value))
