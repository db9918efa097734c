"""Changing billing: cards, which card pays for which ad account, and moving money.

Every change needs the Finance Manager role (creating an ad account needs Admin). Money moves
in integer minor units, inside one transaction that re-reads the balances under the store's
lock, so two windows recharging at once can never overdraw the Business Center. A transfer
carries the caller's `request_id`: repeating it returns the first result and moves nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bc_tui.domain import labels, validation
from bc_tui.domain.cards import card_label, check_card
from bc_tui.domain.errors import Conflict, NotFound, ValidationError
from bc_tui.domain.models import (
    ActivityType,
    AdAccount,
    AdAccountStatus,
    AssetLink,
    AssetRole,
    AssetType,
    Assignment,
    BusinessCenter,
    PaymentMethod,
    Portfolio,
    RelationStatus,
    RelationType,
    Transaction,
    TransactionType,
)
from bc_tui.domain.money import parse_amount
from bc_tui.domain.permissions import Action, require
from bc_tui.services.base import Actor, ServiceBase, use_case
from bc_tui.store.repository import Writer

#: Money spent in the last few hours may still be billed, so it cannot be refunded yet.
REFUND_HOLD = timedelta(hours=3)

#: Statuses an ad account can receive money in (a disabled one can only be refunded).
_RECHARGEABLE = (AdAccountStatus.ACTIVE, AdAccountStatus.PENDING_REVIEW)


class BillingService(ServiceBase):
    @use_case
    def add_card(
        self, actor: Actor, number: str, expiry: str, security_code: str, holder: str
    ) -> PaymentMethod:
        """Check a card and keep only its brand, last four digits, expiry and holder.

        The first card becomes the default (and so pays for the shared portfolio).
        """
        require(self.membership(actor), Action.MANAGE_BILLING)
        center = self.business_center(actor.bc_id)
        today = self.clock.now().astimezone(ZoneInfo(center.timezone)).date()
        facts = check_card(number, expiry, security_code, holder, today)
        label = card_label(facts.brand, facts.last4)
        expires = f"expires {facts.exp_month:02d}/{facts.exp_year}"
        with self.repo.writing() as writer:
            existing = self.repo.find(PaymentMethod, bc_id=actor.bc_id)
            if any(
                (m.brand, m.last4, m.exp_month, m.exp_year)
                == (facts.brand, facts.last4, facts.exp_month, facts.exp_year)
                for m in existing
            ):
                raise Conflict(f"{label} ({expires}) is already added.")
            method = PaymentMethod(
                payment_method_id=self.ids.new_id(),
                bc_id=actor.bc_id,
                brand=facts.brand,
                last4=facts.last4,
                exp_month=facts.exp_month,
                exp_year=facts.exp_year,
                holder=facts.holder,
                is_default=not existing,
            )
            writer.insert(method)
            text = f"{self.user_name(actor.user_id)} added {label} ({expires})"
            if method.is_default:
                text += " as the default payment method"
            self.audit(writer, actor, ActivityType.BILLING, text)
        return method

    @use_case
    def set_default_card(self, actor: Actor, payment_method_id: str) -> PaymentMethod:
        """Make a card the default: it pays for every ad account in the shared portfolio."""
        require(self.membership(actor), Action.MANAGE_BILLING)
        with self.repo.writing() as writer:
            method = self._method(actor, payment_method_id)
            label = card_label(method.brand, method.last4)
            if method.is_default:
                raise Conflict(f"{label} is already the default payment method.")
            writer.update(PaymentMethod, {"bc_id": actor.bc_id}, is_default=False)
            writer.update(
                PaymentMethod,
                {"bc_id": actor.bc_id, "payment_method_id": payment_method_id},
                is_default=True,
            )
            moved = writer.update(
                AdAccount,
                {"bc_id": actor.bc_id, "portfolio": Portfolio.SHARED},
                payment_method_id=payment_method_id,
            )
            self.audit(
                writer,
                actor,
                ActivityType.BILLING,
                f"{self.user_name(actor.user_id)} made {label} the default payment method "
                f"(it pays for {labels.count(moved, 'shared ad account')})",
            )
        return self._method(actor, payment_method_id)

    def removal_blocker(self, actor: Actor, payment_method_id: str) -> str | None:
        """Why a card cannot be removed now (it alone pays for an ad account in use), or None.

        Screens ask before offering to remove; `remove_card` asks again under the lock."""
        require(self.membership(actor), Action.VIEW_BILLING)
        method = self._method(actor, payment_method_id)
        paying = self.repo.find(AdAccount, bc_id=actor.bc_id, payment_method_id=payment_method_id)
        active = sorted(a.name for a in paying if a.status is not AdAccountStatus.DISABLED)
        if not active:
            return None
        hint = (
            "make another card the default first (d)"
            if method.is_default
            else "move them to another card first (Ad accounts, o)"
        )
        label = card_label(method.brand, method.last4)
        return f"{label} is the only payment method of {', '.join(active)}: {hint}."

    @use_case
    def remove_card(self, actor: Actor, payment_method_id: str) -> PaymentMethod:
        """Remove a card, unless an ad account in use has no other way to pay."""
        require(self.membership(actor), Action.MANAGE_BILLING)
        with self.repo.writing() as writer:
            method = self._method(actor, payment_method_id)
            label = card_label(method.brand, method.last4)
            blocker = self.removal_blocker(actor, payment_method_id)
            if blocker is not None:
                raise Conflict(blocker)
            others = [
                m
                for m in self.repo.find(PaymentMethod, bc_id=actor.bc_id)
                if m.payment_method_id != payment_method_id
            ]
            writer.remove(PaymentMethod, bc_id=actor.bc_id, payment_method_id=payment_method_id)
            writer.update(
                AdAccount,
                {"bc_id": actor.bc_id, "payment_method_id": payment_method_id},
                payment_method_id=None,
            )
            text = f"{self.user_name(actor.user_id)} removed {label}"
            if method.is_default and others:
                heir = min(others, key=lambda m: (m.brand, m.last4))
                writer.update(
                    PaymentMethod,
                    {"bc_id": actor.bc_id, "payment_method_id": heir.payment_method_id},
                    is_default=True,
                )
                text += f"; {card_label(heir.brand, heir.last4)} is now the default"
            self.audit(writer, actor, ActivityType.BILLING, text)
        return method

    @use_case
    def move_ad_account(
        self,
        actor: Actor,
        advertiser_id: str,
        portfolio: Portfolio,
        payment_method_id: str | None = None,
    ) -> AdAccount:
        """Bill an ad account through the shared portfolio (the default card) or on its own
        card (`payment_method_id`)."""
        require(self.membership(actor), Action.MANAGE_BILLING)
        with self.repo.writing() as writer:
            account = self._ad_account(actor, advertiser_id)
            if portfolio is Portfolio.SHARED:
                method = self.repo.first(PaymentMethod, bc_id=actor.bc_id, is_default=True)
                if method is None:
                    raise Conflict("There is no default card to share: add a card first (a).")
            else:
                if payment_method_id is None:
                    raise ValidationError(
                        "payment method", "is not chosen", "pick the card that pays on its own"
                    )
                method = self._method(actor, payment_method_id)
            label = card_label(method.brand, method.last4)
            if (account.portfolio, account.payment_method_id) == (
                portfolio,
                method.payment_method_id,
            ):
                raise Conflict(f"{account.name} is already billed that way ({label}).")
            writer.update(
                AdAccount,
                {"bc_id": actor.bc_id, "advertiser_id": advertiser_id},
                portfolio=portfolio,
                payment_method_id=method.payment_method_id,
            )
            where = (
                f"the shared portfolio ({label})"
                if portfolio is Portfolio.SHARED
                else f"separate billing on {label}"
            )
            self.audit(
                writer,
                actor,
                ActivityType.BILLING,
                f"{self.user_name(actor.user_id)} moved {account.name} to {where}",
            )
        return self._ad_account(actor, advertiser_id)

    @use_case
    def transfer(
        self,
        actor: Actor,
        advertiser_id: str,
        kind: TransactionType,
        amount: str,
        request_id: str,
    ) -> Transaction:
        """RECHARGE moves money from the Business Center to an ad account; REFUND moves it back.

        `amount` is what the person typed ('1,250.00'). Repeating a `request_id` returns the
        transaction it made the first time, and moves no money.
        """
        require(self.membership(actor), Action.MANAGE_BILLING)
        minor = parse_amount(amount)
        request_id = validation.text("request ID", request_id, max_length=64)
        now = self.clock.now()
        with self.repo.writing() as writer:
            earlier = self.repo.first(Transaction, bc_id=actor.bc_id, request_id=request_id)
            if earlier is not None:
                if (earlier.advertiser_id, earlier.type, earlier.amount) == (
                    advertiser_id,
                    kind,
                    minor,
                ):
                    return earlier
                raise Conflict(
                    f"Request {request_id} was already used for a different transfer; "
                    "start a new transfer."
                )
            center = self.business_center(actor.bc_id)
            account = self._ad_account(actor, advertiser_id)
            money = labels.money(minor, center.currency)
            if kind is TransactionType.RECHARGE:
                self._check_recharge(center, account, minor)
                bc_balance, cash = center.balance - minor, account.cash_balance + minor
                text = f"recharged {account.name} with {money}"
            else:
                self._check_refund(center, account, minor, now)
                bc_balance, cash = center.balance + minor, account.cash_balance - minor
                text = f"refunded {money} from {account.name}"
            transaction = Transaction(
                transaction_id=self.ids.new_id(),
                bc_id=actor.bc_id,
                advertiser_id=advertiser_id,
                type=kind,
                amount=minor,
                currency=center.currency,
                request_id=request_id,
                time=now,
                operator_id=actor.user_id,
            )
            self._move(writer, actor, advertiser_id, bc_balance, cash)
            writer.insert(transaction)
            self.audit(
                writer,
                actor,
                ActivityType.BILLING,
                f"{self.user_name(actor.user_id)} {text} (request {request_id})",
            )
        return transaction

    @use_case
    def create_ad_account(self, actor: Actor, name: str) -> AdAccount:
        """A new ad account owned by this Business Center, in review, with its creator as its
        Admin; billed through the shared portfolio when there is a default card."""
        require(self.membership(actor), Action.CREATE_AD_ACCOUNT)
        name = validation.text("ad account name", name, max_length=100)
        center = self.business_center(actor.bc_id)
        with self.repo.writing() as writer:
            if any(
                a.name.casefold() == name.casefold()
                for a in self.repo.find(AdAccount, bc_id=actor.bc_id)
            ):
                raise Conflict(f"This Business Center already has an ad account named {name}.")
            default = self.repo.first(PaymentMethod, bc_id=actor.bc_id, is_default=True)
            account = AdAccount(
                advertiser_id=self.ids.new_id(),
                bc_id=actor.bc_id,
                name=name,
                status=AdAccountStatus.PENDING_REVIEW,
                currency=center.currency,
                portfolio=Portfolio.SHARED if default else Portfolio.NON_SHARED,
                cash_balance=0,
                grant_balance=0,
                payment_method_id=default.payment_method_id if default else None,
            )
            writer.insert(account)
            writer.insert(
                AssetLink(
                    bc_id=actor.bc_id,
                    asset_type=AssetType.ADVERTISER,
                    asset_id=account.advertiser_id,
                    relation_type=RelationType.OWNER_BC,
                    relation_status=RelationStatus.BOUND,
                    updated_at=self.clock.now(),
                )
            )
            writer.insert(
                Assignment(
                    bc_id=actor.bc_id,
                    user_id=actor.user_id,
                    asset_type=AssetType.ADVERTISER,
                    asset_id=account.advertiser_id,
                    role=AssetRole.ADMIN,
                )
            )
            self.audit(
                writer,
                actor,
                ActivityType.ASSET,
                f"{self.user_name(actor.user_id)} created ad account {name} "
                f"({account.advertiser_id})",
            )
        return account

    @staticmethod
    def _check_recharge(center: BusinessCenter, account: AdAccount, minor: int) -> None:
        if account.status not in _RECHARGEABLE:
            raise Conflict(f"{account.name} is disabled: it can be refunded but not recharged.")
        if minor > center.balance:
            raise Conflict(
                f"The Business Center holds {labels.money(center.balance, center.currency)}: "
                "recharge at most that much."
            )

    @staticmethod
    def _check_refund(
        center: BusinessCenter, account: AdAccount, minor: int, now: datetime
    ) -> None:
        if minor > account.cash_balance:
            raise Conflict(
                f"{account.name} has {labels.money(account.cash_balance, center.currency)} "
                "in cash (grants cannot be refunded): refund at most that much."
            )
        if account.last_spend_at is not None and now - account.last_spend_at < REFUND_HOLD:
            zone = ZoneInfo(center.timezone)
            spent = account.last_spend_at.astimezone(zone).strftime("%H:%M")
            opens = (account.last_spend_at + REFUND_HOLD).astimezone(zone).strftime("%H:%M")
            raise Conflict(
                f"{account.name} last spent money at {spent}: refunds open 3 hours after "
                f"the last spend, at {opens}."
            )

    @staticmethod
    def _move(writer: Writer, actor: Actor, advertiser_id: str, bc_balance: int, cash: int) -> None:
        writer.update(BusinessCenter, {"bc_id": actor.bc_id}, balance=bc_balance)
        writer.update(
            AdAccount, {"bc_id": actor.bc_id, "advertiser_id": advertiser_id}, cash_balance=cash
        )

    def _method(self, actor: Actor, payment_method_id: str) -> PaymentMethod:
        method = self.repo.first(
            PaymentMethod, bc_id=actor.bc_id, payment_method_id=payment_method_id
        )
        if method is None:
            raise NotFound("That card is not in this Business Center any more.")
        return method

    def _ad_account(self, actor: Actor, advertiser_id: str) -> AdAccount:
        account = self.repo.first(AdAccount, bc_id=actor.bc_id, advertiser_id=advertiser_id)
        if account is None:
            raise NotFound(f"No ad account {advertiser_id} in this Business Center.")
        return account
