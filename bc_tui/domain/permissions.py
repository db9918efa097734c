"""Who may do what in a Business Center: the one permission matrix every layer asks.

Services call `require` before changing anything; screens call `can` to hide or disable what
the acting user may not do. Keeping both on one table means the UI never offers an action the
service would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum

from bc_tui.domain.errors import PermissionDenied
from bc_tui.domain.models import FinanceRole, Member, MemberStatus, UserRole


class Action(StrEnum):
    VIEW_ASSETS = "view assets"
    VIEW_ALL_ASSETS = "see every asset"
    ADD_TIKTOK_ACCOUNT = "add a TikTok account"
    CLAIM_TIKTOK_ACCOUNT = "claim a TikTok account"
    REMOVE_ASSET_LINK = "remove an asset from the Business Center"
    ASSIGN_MEMBER = "assign members to assets"
    INVITE_MEMBER = "invite members"
    CHANGE_MEMBER_ROLE = "change a member's role"
    REMOVE_MEMBER = "remove members"
    MANAGE_PARTNERS = "manage partners"
    EDIT_BUSINESS = "change business info"
    MANAGE_SECURITY = "change security settings"
    VIEW_ACTIVITY = "view the activity log"
    CREATE_AD_ACCOUNT = "create ad accounts"
    VIEW_BILLING = "view billing"
    MANAGE_BILLING = "change billing"


def _bound(member: Member | None) -> bool:
    return member is not None and member.relation_status is MemberStatus.BOUND


def _admin(member: Member | None) -> bool:
    return _bound(member) and member.user_role is UserRole.ADMIN  # type: ignore[union-attr]


def _any_member(member: Member | None) -> bool:
    return _bound(member)


def _finance_any(member: Member | None) -> bool:
    return _bound(member) and member.finance_role is not None  # type: ignore[union-attr]


def _finance_manager(member: Member | None) -> bool:
    return _bound(member) and member.finance_role is FinanceRole.MANAGER  # type: ignore[union-attr]


_MATRIX: dict[Action, tuple[Callable[[Member | None], bool], str]] = {
    Action.VIEW_ASSETS: (_any_member, "only members of this Business Center can see its assets"),
    Action.VIEW_ALL_ASSETS: (_admin, "standard members see only the assets assigned to them"),
    Action.ADD_TIKTOK_ACCOUNT: (_admin, "only an Admin can add TikTok accounts"),
    Action.CLAIM_TIKTOK_ACCOUNT: (_admin, "only an Admin can claim TikTok accounts"),
    Action.REMOVE_ASSET_LINK: (_admin, "only an Admin can remove assets"),
    Action.ASSIGN_MEMBER: (_admin, "only an Admin can assign members to assets"),
    Action.INVITE_MEMBER: (_admin, "only an Admin can invite members"),
    Action.CHANGE_MEMBER_ROLE: (_admin, "only an Admin can change roles"),
    Action.REMOVE_MEMBER: (_admin, "only an Admin can remove members"),
    Action.MANAGE_PARTNERS: (_admin, "only an Admin can manage partners"),
    Action.EDIT_BUSINESS: (_admin, "only an Admin can change business info"),
    Action.MANAGE_SECURITY: (_admin, "only an Admin can change security settings"),
    Action.VIEW_ACTIVITY: (_admin, "only an Admin can see the activity log"),
    Action.CREATE_AD_ACCOUNT: (_admin, "only an Admin can create ad accounts"),
    Action.VIEW_BILLING: (
        _finance_any,
        "billing needs a finance role — ask an Admin for Finance Manager or Finance Analyst",
    ),
    Action.MANAGE_BILLING: (
        _finance_manager,
        "changing billing needs the Finance Manager role — ask an Admin to grant it",
    ),
}


#: What an Admin is told instead: an Admin can give themselves a finance role, and "ask an
#: Admin" sent them looking for another one.
_ADMIN_REASON = {
    Action.VIEW_BILLING: "billing needs a finance role — as an Admin, give yourself Finance "
    "Manager or Finance Analyst on Members",
    Action.MANAGE_BILLING: "changing billing needs the Finance Manager role — as an Admin, "
    "give it to yourself on Members",
}


def can(actor: Member | None, action: Action) -> bool:
    """True if `actor` (their membership in the current Business Center, or None) may act."""
    allowed, _ = _MATRIX[action]
    return allowed(actor)


def why_not(actor: Member | None, action: Action) -> str:
    """The sentence shown when `actor` may not do `action`."""
    if actor is None:
        return f"You are not a member of this Business Center, so you cannot {action.value}."
    if actor.relation_status is MemberStatus.PENDING:
        joined = replace(actor, relation_status=MemberStatus.BOUND)
        if can(joined, action):  # (else accepting would not let them: say what would)
            return f"Your invitation is still pending: accept it before you {action.value}."
        actor = joined
    _, reason = _MATRIX[action]
    if actor.user_role is UserRole.ADMIN:
        reason = _ADMIN_REASON.get(action, reason)
    return reason[0].upper() + reason[1:] + "."


def require(actor: Member | None, action: Action) -> None:
    """Raise PermissionDenied with the reason unless `actor` may do `action`."""
    if not can(actor, action):
        raise PermissionDenied(why_not(actor, action))
