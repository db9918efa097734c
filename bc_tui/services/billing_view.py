"""What the Billing screen shows: balances, who pays for which ad account, transfers, invoices.

Viewing billing needs a finance role; the view says so — and who holds one — instead of
showing an empty screen. `can_manage` tells the screen whether to offer changes at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bc_tui.domain import labels
from bc_tui.domain.cards import card_label
from bc_tui.domain.errors import NotFound
from bc_tui.domain.models import (
    AdAccount,
    AdAccountStatus,
    AssetType,
    Assignment,
    Invoice,
    InvoiceGroup,
    Member,
    MemberStatus,
    PaymentMethod,
    Portfolio,
    Transaction,
    TransactionType,
)
from bc_tui.domain.permissions import Action, can, require, why_not
from bc_tui.services.base import Actor, ServiceBase

#: An active ad account with less cash than this (minor units) is flagged as running low.
LOW_BALANCE = 100_000


class InvoiceStatus(StrEnum):
    PAID = "PAID"
    UNPAID = "UNPAID"
    OVERDUE = "OVERDUE"


@dataclass(frozen=True, slots=True)
class AdAccountRow:
    advertiser_id: str
    name: str
    status: AdAccountStatus
    portfolio: Portfolio
    cash_balance: int
    grant_balance: int
    currency: str
    payment_method_id: str | None
    payment_method: str  # "Visa •••• 4242", or "—" when none
    members: int  # people assigned to it
    last_spend_at: datetime | None

    @property
    def low(self) -> bool:
        return self.status is AdAccountStatus.ACTIVE and self.cash_balance < LOW_BALANCE

    @property
    def unpaid(self) -> bool:
        """In use (not disabled) with no card to pay for it."""
        return self.payment_method_id is None and self.status is not AdAccountStatus.DISABLED


@dataclass(frozen=True, slots=True)
class PaymentMethodRow:
    payment_method_id: str
    label: str
    exp_month: int
    exp_year: int
    holder: str
    is_default: bool
    pays_for: tuple[str, ...]  # names of the ad accounts it pays for
    #: Its last month has come ("expires") or gone ("expired"), in the Business Center's
    #: time zone; "" before that.
    ending: str = ""


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    invoice_id: str
    group: InvoiceGroup
    subject: str  # "Shared portfolio" or the ad account's name
    period_start: datetime
    period_end: datetime
    amount: int
    currency: str
    due_at: datetime
    status: InvoiceStatus


@dataclass(frozen=True, slots=True)
class TransactionRow:
    transaction_id: str
    time: datetime
    type: TransactionType
    ad_account: str
    amount: int
    currency: str
    request_id: str
    operator: str


@dataclass(frozen=True, slots=True)
class BillingView:
    allowed: bool
    reason: str  # why not, when not allowed
    can_manage: bool = False
    manage_reason: str = ""  # why changes are not offered
    currency: str = ""
    bc_balance: int = 0
    ad_accounts: tuple[AdAccountRow, ...] = ()
    payment_methods: tuple[PaymentMethodRow, ...] = ()
    invoices: tuple[InvoiceRow, ...] = ()
    transactions: tuple[TransactionRow, ...] = ()

    @property
    def shared(self) -> tuple[AdAccountRow, ...]:
        return tuple(row for row in self.ad_accounts if row.portfolio is Portfolio.SHARED)

    @property
    def separate(self) -> tuple[AdAccountRow, ...]:
        return tuple(row for row in self.ad_accounts if row.portfolio is Portfolio.NON_SHARED)

    @property
    def default_method(self) -> PaymentMethodRow | None:
        return next((row for row in self.payment_methods if row.is_default), None)


@dataclass(frozen=True, slots=True)
class InvoiceDetail:
    invoice: InvoiceRow
    covers: tuple[str, ...]  # the ad accounts billed on it
    paid_by: str  # the payment method charged, in words


def _ending(year: int, month: int, now: tuple[int, int]) -> str:
    """A card's `PaymentMethodRow.ending` in the month `now` (year, month)."""
    if (year, month) < now:
        return "expired"
    return "expires" if (year, month) == now else ""


def invoice_status(invoice: Invoice, now: datetime) -> InvoiceStatus:
    if invoice.paid:
        return InvoiceStatus.PAID
    return InvoiceStatus.OVERDUE if invoice.due_at < now else InvoiceStatus.UNPAID


class BillingViews(ServiceBase):
    """Read models of billing; the changes are in `BillingService`."""

    def overview(self, actor: Actor) -> BillingView:
        """Everything on the Billing screen, for finance roles only."""
        member = self.membership(actor)
        if not can(member, Action.VIEW_BILLING):
            return BillingView(allowed=False, reason=self._refusal(actor, member))
        center = self.business_center(actor.bc_id)
        today = self.clock.now().astimezone(ZoneInfo(center.timezone))
        month = (today.year, today.month)
        methods = sorted(
            self.repo.find(PaymentMethod, bc_id=actor.bc_id),
            key=lambda method: (not method.is_default, method.brand, method.last4),
        )
        method_label = {m.payment_method_id: card_label(m.brand, m.last4) for m in methods}
        ad_accounts = sorted(
            self.repo.find(AdAccount, bc_id=actor.bc_id),
            key=lambda a: (a.portfolio is not Portfolio.SHARED, a.name.casefold()),
        )
        account_name = {a.advertiser_id: a.name for a in ad_accounts}
        assigned: dict[str, int] = {}
        for assignment in self.repo.find(
            Assignment, bc_id=actor.bc_id, asset_type=AssetType.ADVERTISER
        ):
            assigned[assignment.asset_id] = assigned.get(assignment.asset_id, 0) + 1
        names = self.user_names()
        now = self.clock.now()
        invoices = [
            self._invoice_row(invoice, account_name, now)
            for invoice in self.repo.find(Invoice, bc_id=actor.bc_id)
        ]
        transactions = [
            TransactionRow(
                transaction_id=t.transaction_id,
                time=t.time,
                type=t.type,
                ad_account=account_name.get(t.advertiser_id, t.advertiser_id),
                amount=t.amount,
                currency=t.currency,
                request_id=t.request_id,
                operator=names.get(t.operator_id, t.operator_id or "—"),
            )
            for t in self.repo.find(Transaction, bc_id=actor.bc_id)
        ]
        return BillingView(
            allowed=True,
            reason="",
            can_manage=can(member, Action.MANAGE_BILLING),
            manage_reason=why_not(member, Action.MANAGE_BILLING),
            currency=center.currency,
            bc_balance=center.balance,
            ad_accounts=tuple(
                AdAccountRow(
                    advertiser_id=a.advertiser_id,
                    name=a.name,
                    status=a.status,
                    portfolio=a.portfolio,
                    cash_balance=a.cash_balance,
                    grant_balance=a.grant_balance,
                    currency=a.currency,
                    payment_method_id=a.payment_method_id,
                    payment_method=method_label.get(a.payment_method_id or "", "—"),
                    members=assigned.get(a.advertiser_id, 0),
                    last_spend_at=a.last_spend_at,
                )
                for a in ad_accounts
            ),
            payment_methods=tuple(
                PaymentMethodRow(
                    payment_method_id=m.payment_method_id,
                    label=method_label[m.payment_method_id],
                    exp_month=m.exp_month,
                    exp_year=m.exp_year,
                    holder=m.holder,
                    is_default=m.is_default,
                    pays_for=tuple(
                        a.name for a in ad_accounts if a.payment_method_id == m.payment_method_id
                    ),
                    ending=_ending(m.exp_year, m.exp_month, month),
                )
                for m in methods
            ),
            invoices=tuple(sorted(invoices, key=lambda row: row.period_start, reverse=True)),
            transactions=tuple(sorted(transactions, key=lambda row: row.time, reverse=True)),
        )

    def invoice(self, actor: Actor, invoice_id: str) -> InvoiceDetail:
        """One invoice with the ad accounts it covers and the card it is charged to."""
        require(self.membership(actor), Action.VIEW_BILLING)
        invoice = self.repo.first(Invoice, bc_id=actor.bc_id, invoice_id=invoice_id)
        if invoice is None:
            raise NotFound(f"No invoice {invoice_id} in this Business Center.")
        ad_accounts = self.repo.find(AdAccount, bc_id=actor.bc_id)
        account_name = {a.advertiser_id: a.name for a in ad_accounts}
        # What it bills and the card that paid it are as issued (the invoice records them).
        # A file from before recorded neither: a paid invoice says so, an unpaid one shows
        # what it will bill and charge now.
        if invoice.advertiser_ids:
            covered = [account_name.get(i, i) for i in invoice.advertiser_ids]
        elif invoice.group is InvoiceGroup.ADVERTISER:
            covered = [account_name.get(invoice.advertiser_id or "", "")]
        elif invoice.paid:
            covered = ["not recorded"]  # (today's shared portfolio is not what it billed)
        else:
            covered = [a.name for a in ad_accounts if a.portfolio is Portfolio.SHARED]
        if invoice.paid:
            paid_by = invoice.paid_with or "not recorded"
        else:
            paid_by = self._card_to_charge(actor.bc_id, invoice) + " (not charged yet)"
        return InvoiceDetail(
            invoice=self._invoice_row(invoice, account_name, self.clock.now()),
            covers=tuple(sorted(name for name in covered if name)),
            paid_by=paid_by,
        )

    def _card_to_charge(self, bc_id: str, invoice: Invoice) -> str:
        """The card an unpaid invoice will be charged to: its ad account's own, or the
        Business Center's default for the shared portfolio's consolidated invoice."""
        methods = {m.payment_method_id: m for m in self.repo.find(PaymentMethod, bc_id=bc_id)}
        if invoice.group is InvoiceGroup.ADVERTISER:
            account = self.repo.first(AdAccount, bc_id=bc_id, advertiser_id=invoice.advertiser_id)
            method = methods.get(account.payment_method_id or "") if account else None
        else:
            method = next((m for m in methods.values() if m.is_default), None)
        return card_label(method.brand, method.last4) if method else "no payment method"

    @staticmethod
    def _invoice_row(invoice: Invoice, account_name: dict[str, str], now: datetime) -> InvoiceRow:
        return InvoiceRow(
            invoice_id=invoice.invoice_id,
            group=invoice.group,
            subject=account_name.get(invoice.advertiser_id or "", "Shared portfolio"),
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            amount=invoice.amount,
            currency=invoice.currency,
            due_at=invoice.due_at,
            status=invoice_status(invoice, now),
        )

    def _refusal(self, actor: Actor, member: Member | None) -> str:
        """Why billing is closed, and who here could open it (so the next step is clear)."""
        reason = why_not(member, Action.VIEW_BILLING)
        if member is None or member.relation_status is not MemberStatus.BOUND:
            return reason
        names = self.user_names()
        holders = [
            f"{names.get(m.user_id, m.user_id)} ({labels.FINANCE_ROLE[m.finance_role]})"
            for m in self.repo.find(Member, bc_id=actor.bc_id)
            if m.finance_role is not None and m.relation_status is MemberStatus.BOUND
        ]
        if holders:
            reason += " Members with one: " + ", ".join(sorted(holders)) + "."
        return reason
