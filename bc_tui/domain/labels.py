"""The words people see for the API's enum values, shared by audit sentences and screens."""

from __future__ import annotations

from bc_tui.domain.models import (
    AdAccountStatus,
    AssetRole,
    AssetType,
    FinanceRole,
    RelationStatus,
    RelationType,
    RequestKind,
    RequestStatus,
    TtAccountRole,
    UserRole,
)

USER_ROLE = {UserRole.ADMIN: "Admin", UserRole.STANDARD: "Standard"}
FINANCE_ROLE = {FinanceRole.MANAGER: "Finance Manager", FinanceRole.ANALYST: "Finance Analyst"}
ASSET_ROLE = {
    AssetRole.ADMIN: "Admin",
    AssetRole.OPERATOR: "Operator",
    AssetRole.ANALYST: "Analyst",
}
ASSET_TYPE = {
    AssetType.TT_ACCOUNT: "TikTok account",
    AssetType.ADVERTISER: "Ad account",
    AssetType.PIXEL: "Pixel",
    AssetType.CATALOG: "Catalog",
    AssetType.AUDIENCE: "Audience",
}
AD_ACCOUNT_STATUS = {
    AdAccountStatus.ACTIVE: "Active",
    AdAccountStatus.PENDING_REVIEW: "In review",
    AdAccountStatus.DISABLED: "Disabled",
}
ASSET_TYPE_PLURAL = {
    AssetType.TT_ACCOUNT: "TikTok accounts",
    AssetType.ADVERTISER: "Ad accounts",
    AssetType.PIXEL: "Pixels",
    AssetType.CATALOG: "Catalogs",
    AssetType.AUDIENCE: "Audiences",
}
#: "Owned", not "Owned (claimed)": a Business Center owns the pixels and ad accounts it
#: created as much as the TikTok accounts it claimed, and the wider text cut Assets' Status
#: column at 120 columns.
RELATION_TYPE = {
    RelationType.OWNER_BC: "Owned",
    RelationType.OWNER_INDIVIDUAL: "Access granted",
    RelationType.OWNER_PARTNER: "Shared by partner",
}
RELATION_STATUS = {
    RelationStatus.PENDING: "Pending",
    RelationStatus.BOUND: "Active",
    RelationStatus.REJECTED: "Rejected",
    RelationStatus.UNBOUND: "Ended",
}
#: What an unconfirmed link was asked for: while the owner has not approved (pending) or
#: after they declined, "Access granted" or "Owned" would say the opposite of its status.
RELATION_ASKED = {
    RelationType.OWNER_BC: "Ownership claim",
    RelationType.OWNER_INDIVIDUAL: "Access request",
    RelationType.OWNER_PARTNER: "Shared by partner",
}
SCOPE = {TtAccountRole.POST: "Spark Ads", TtAccountRole.LIVE: "LIVE ads"}
REQUEST_KIND = {
    RequestKind.REQUEST_ACCESS: "Request access",
    RequestKind.CLAIM_OWNERSHIP: "Claim ownership",
}
#: What became of a code that can no longer be approved, as "This code ...": on the phone
#: that scans it and in the error of an approval that comes too late.
SPENT_CODE = {
    RequestStatus.APPROVED: "was already approved",
    RequestStatus.DECLINED: "was declined",
    RequestStatus.FAILED: "was already used and failed",
    RequestStatus.CANCELLED: "was replaced or cancelled by the Business Center",
}


#: What an ended link was: "Access granted" beside "Ended" read as if access went on.
RELATION_ENDED = {
    RelationType.OWNER_BC: "Ownership given up",
    RelationType.OWNER_INDIVIDUAL: "Access ended",
    RelationType.OWNER_PARTNER: "Share ended",
}


def relation(relation_type: RelationType, relation_status: RelationStatus) -> str:
    """The Ownership column: what the link is, or, not confirmed yet, what was asked, or,
    ended, what it was."""
    if relation_status in (RelationStatus.PENDING, RelationStatus.REJECTED):
        return RELATION_ASKED[relation_type]
    if relation_status is RelationStatus.UNBOUND:
        return RELATION_ENDED[relation_type]
    return RELATION_TYPE[relation_type]


def asset_noun(asset_type: AssetType, *, plural: bool = False) -> str:
    """The asset type inside a sentence: 'TikTok account', 'ad account', 'pixel' (or
    'TikTok accounts', 'ad accounts', 'pixels')."""
    return in_sentence((ASSET_TYPE_PLURAL if plural else ASSET_TYPE)[asset_type])


def in_sentence(label: str) -> str:
    """A label inside a sentence: 'Ad accounts' -> 'ad accounts', but TikTok keeps its T."""
    return label if label.startswith("TikTok") else label.lower()


def scopes(values: tuple[TtAccountRole, ...]) -> str:
    return ", ".join(SCOPE[value] for value in values) or "—"


def member_role(user_role: UserRole, finance_role: FinanceRole | None) -> str:
    label = USER_ROLE[user_role]
    return f"{label} + {FINANCE_ROLE[finance_role]}" if finance_role else label


def count(n: int, noun: str) -> str:
    """'1 account', '2 accounts' (nouns here all take a plain -s)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def mm_ss(seconds: int) -> str:
    """Time left on a code: 272 -> '04:32'; from an hour (a long `--qr-ttl`), 86399 ->
    '23:59:59' (it said '1439:59')."""
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes:02d}:{secs:02d}"
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


def ago(seconds: float) -> str:
    """How long ago, as the TikTok inbox says it: 'just now', '5m ago', '3h ago', '2d ago'."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return "just now"
    for size, unit in ((86_400, "d"), (3_600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return "just now"


def money(minor: int, currency: str) -> str:
    """Integer minor units as a readable amount: 123456 USD -> '1,234.56 USD'."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole:,}.{cents:02d} {currency}"
