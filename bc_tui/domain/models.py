"""The Business Center model, named after the TikTok Business API where it has a name.

Plain frozen dataclasses and string enums: no storage and no UI here. Money is always integer
minor units (cents), never floats. Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class UserRole(StrEnum):
    ADMIN = "ADMIN"
    STANDARD = "STANDARD"


class FinanceRole(StrEnum):
    MANAGER = "MANAGER"
    ANALYST = "ANALYST"


class MemberStatus(StrEnum):
    PENDING = "PENDING"  # invited, not yet accepted
    BOUND = "BOUND"


class AssetType(StrEnum):
    TT_ACCOUNT = "TT_ACCOUNT"
    ADVERTISER = "ADVERTISER"
    PIXEL = "PIXEL"
    CATALOG = "CATALOG"
    AUDIENCE = "AUDIENCE"


class RelationType(StrEnum):
    OWNER_BC = "OWNER_BC"  # claimed: owned by this Business Center
    OWNER_INDIVIDUAL = "OWNER_INDIVIDUAL"  # access granted by the account's owner
    OWNER_PARTNER = "OWNER_PARTNER"  # shared by a partner Business Center


class RelationStatus(StrEnum):
    PENDING = "PENDING"
    BOUND = "BOUND"
    REJECTED = "REJECTED"
    UNBOUND = "UNBOUND"


class TtAccountRole(StrEnum):
    """Scopes a TikTok account grants a Business Center."""

    POST = "POST"  # Spark Ads: use the account's existing posts
    LIVE = "LIVE"  # LIVE ads


class AssetRole(StrEnum):
    """A member's role on one asset. TikTok accounts take OPERATOR or ANALYST only."""

    ADMIN = "ADMIN"
    OPERATOR = "OPERATOR"
    ANALYST = "ANALYST"


class RequestKind(StrEnum):
    REQUEST_ACCESS = "REQUEST_ACCESS"  # the owner keeps the account and can revoke
    CLAIM_OWNERSHIP = "CLAIM_OWNERSHIP"  # permanent transfer into the Business Center


class RequestMethod(StrEnum):
    QR = "QR"
    NOTIFICATION = "NOTIFICATION"


class RequestStatus(StrEnum):
    NOT_USED = "NOT_USED"
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class ActivityType(StrEnum):
    USER = "USER"
    ACCOUNT = "ACCOUNT"
    ASSET = "ASSET"
    BUSINESS = "BUSINESS"
    BILLING = "BILLING"


class AdAccountStatus(StrEnum):
    ACTIVE = "ACTIVE"
    PENDING_REVIEW = "PENDING_REVIEW"
    DISABLED = "DISABLED"


class Portfolio(StrEnum):
    SHARED = "SHARED"
    NON_SHARED = "NON_SHARED"


class TransactionType(StrEnum):
    RECHARGE = "RECHARGE"
    REFUND = "REFUND"


class InvoiceGroup(StrEnum):
    ACCOUNT = "ACCOUNT"  # one consolidated invoice for the Business Center
    ADVERTISER = "ADVERTISER"  # one invoice per ad account


@dataclass(frozen=True, slots=True)
class BusinessCenter:
    bc_id: str
    name: str
    company: str
    currency: str
    timezone: str
    type: str = "NORMAL"
    balance: int = 0  # minor units the Business Center holds, to recharge ad accounts with
    #: Security settings: the email domains new members may have (none: any).
    allowed_email_domains: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    user_name: str
    user_email: str


@dataclass(frozen=True, slots=True)
class Member:
    bc_id: str
    user_id: str
    user_role: UserRole
    relation_status: MemberStatus
    finance_role: FinanceRole | None = None
    invited_at: datetime | None = None

    @property
    def invite_expires_at(self) -> datetime | None:
        """When a pending invitation stops working (None: not pending, or sent before the
        field existed)."""
        if self.relation_status is not MemberStatus.PENDING or self.invited_at is None:
            return None
        return self.invited_at + INVITE_TTL

    def invite_expired(self, now: datetime) -> bool:
        expires = self.invite_expires_at
        return expires is not None and now >= expires


@dataclass(frozen=True, slots=True)
class TikTokAccount:
    handle: str  # without the "@"
    display_name: str
    owner_login: str
    region: str
    is_business: bool = True


@dataclass(frozen=True, slots=True)
class Asset:
    """A non-TikTok asset: pixel, catalog or audience (ad accounts are `AdAccount`)."""

    asset_id: str
    asset_type: AssetType
    name: str
    owner_bc_id: str


@dataclass(frozen=True, slots=True)
class AssetLink:
    """A Business Center's relation to one asset; `asset_id` is the handle for TT_ACCOUNT."""

    bc_id: str
    asset_type: AssetType
    asset_id: str
    relation_type: RelationType
    relation_status: RelationStatus
    tt_account_roles: tuple[TtAccountRole, ...] = ()
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    bc_id: str
    user_id: str
    asset_type: AssetType
    asset_id: str
    role: AssetRole


#: How long an authorization request's QR code or link stays valid, in seconds (TikTok
#: documents no figure; `--qr-ttl` changes it).
DEFAULT_QR_TTL = 300
#: How long an invitation to join a Business Center can be accepted. TikTok publishes no
#: figure; Google Ads' manager accounts let invitations expire after 20 days (DOMAIN.md).
#: A resent invitation counts from when it was resent.
INVITE_TTL = timedelta(days=20)


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """What "Add TikTok account" creates: a single-use token the account's owner approves."""

    request_id: str
    bc_id: str
    handle: str
    kind: RequestKind
    scopes: tuple[TtAccountRole, ...]
    method: RequestMethod
    token: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    status: RequestStatus = RequestStatus.NOT_USED
    reason: str = ""  # why it FAILED, in words the admin can act on
    #: The account's entry as it was before this request, or the ones it replaced, made it
    #: pending (no status: no entry), put back when the request is cancelled.
    before_status: RelationStatus | None = None
    before_type: RelationType | None = None
    before_roles: tuple[TtAccountRole, ...] = ()

    def status_at(self, now: datetime) -> RequestStatus:
        """The status as of `now`: an unused request past its expiry is EXPIRED.

        Expiry is computed, not written by a background job, so every reader agrees.
        """
        if self.status is RequestStatus.NOT_USED and now >= self.expires_at:
            return RequestStatus.EXPIRED
        return self.status

    def seconds_left(self, now: datetime) -> int:
        return max(0, int((self.expires_at - now).total_seconds()))


@dataclass(frozen=True, slots=True)
class InboxMessage:
    """A "From TikTok" message in a TikTok account's inbox (Inbox -> All activity)."""

    message_id: str
    handle: str
    time: datetime
    text: str
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Phone:
    """The account owner's device running the TikTok app: who is logged in, who is active."""

    phone_id: str
    name: str
    logged_in: tuple[str, ...] = ()
    active: str | None = None


@dataclass(frozen=True, slots=True)
class Partner:
    bc_id: str
    partner_bc_id: str
    name: str
    asset_type: AssetType
    asset_ids: tuple[str, ...]
    role: AssetRole = AssetRole.ANALYST


@dataclass(frozen=True, slots=True)
class AdAccount:
    advertiser_id: str
    bc_id: str
    name: str
    status: AdAccountStatus
    currency: str
    portfolio: Portfolio
    cash_balance: int  # minor units
    grant_balance: int  # minor units
    payment_method_id: str | None = None
    last_spend_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    """A card as the product keeps it: never the full number or the security code."""

    payment_method_id: str
    bc_id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    holder: str
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class Transaction:
    transaction_id: str
    bc_id: str
    advertiser_id: str
    type: TransactionType
    amount: int  # minor units
    currency: str
    request_id: str  # the caller's idempotency key: a repeat with it moves no money
    time: datetime
    operator_id: str = ""


@dataclass(frozen=True, slots=True)
class Invoice:
    invoice_id: str
    bc_id: str
    group: InvoiceGroup
    advertiser_id: str | None
    period_start: datetime
    period_end: datetime
    amount: int  # minor units
    currency: str
    due_at: datetime
    paid: bool = False
    # As the invoice was issued, not as things are now: the ad accounts it bills, and once
    # paid the card it was charged to as the invoice states it ("Visa •••• 4242"; a card can
    # be removed or replaced as the default afterwards). Empty in files from before these.
    advertiser_ids: tuple[str, ...] = ()
    paid_with: str = ""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    event_id: str
    bc_id: str
    time: datetime
    operator_id: str
    activity_type: ActivityType
    activity_log: str
