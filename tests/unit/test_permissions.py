"""The whole permission matrix, written out: every action for every kind of actor."""

from __future__ import annotations

import pytest

from bc_tui.domain.errors import PermissionDenied
from bc_tui.domain.models import FinanceRole, Member, MemberStatus, UserRole
from bc_tui.domain.permissions import Action, can, require, why_not

ACTORS: dict[str, Member | None] = {
    "admin": Member("bc", "u", UserRole.ADMIN, MemberStatus.BOUND),
    "admin+manager": Member("bc", "u", UserRole.ADMIN, MemberStatus.BOUND, FinanceRole.MANAGER),
    "standard": Member("bc", "u", UserRole.STANDARD, MemberStatus.BOUND),
    "standard+manager": Member(
        "bc", "u", UserRole.STANDARD, MemberStatus.BOUND, FinanceRole.MANAGER
    ),
    "standard+analyst": Member(
        "bc", "u", UserRole.STANDARD, MemberStatus.BOUND, FinanceRole.ANALYST
    ),
    "invited admin": Member("bc", "u", UserRole.ADMIN, MemberStatus.PENDING),
    "not a member": None,
}

A = Action
ADMIN_ONLY = {
    A.VIEW_ALL_ASSETS,
    A.ADD_TIKTOK_ACCOUNT,
    A.CLAIM_TIKTOK_ACCOUNT,
    A.REMOVE_ASSET_LINK,
    A.ASSIGN_MEMBER,
    A.INVITE_MEMBER,
    A.CHANGE_MEMBER_ROLE,
    A.REMOVE_MEMBER,
    A.MANAGE_PARTNERS,
    A.EDIT_BUSINESS,
    A.MANAGE_SECURITY,
    A.VIEW_ACTIVITY,
    A.CREATE_AD_ACCOUNT,
}
EXPECTED: dict[str, set[Action]] = {
    "admin": ADMIN_ONLY | {A.VIEW_ASSETS},
    "admin+manager": ADMIN_ONLY | {A.VIEW_ASSETS, A.VIEW_BILLING, A.MANAGE_BILLING},
    "standard": {A.VIEW_ASSETS},
    "standard+manager": {A.VIEW_ASSETS, A.VIEW_BILLING, A.MANAGE_BILLING},
    "standard+analyst": {A.VIEW_ASSETS, A.VIEW_BILLING},
    "invited admin": set(),
    "not a member": set(),
}


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("action", list(Action))
def test_matrix(actor: str, action: Action) -> None:
    allowed = action in EXPECTED[actor]
    assert can(ACTORS[actor], action) is allowed
    if allowed:
        require(ACTORS[actor], action)
    else:
        with pytest.raises(PermissionDenied) as caught:
            require(ACTORS[actor], action)
        assert str(caught.value) == why_not(ACTORS[actor], action)
        assert str(caught.value).endswith(".")


def test_billing_refusal_tells_who_can_help() -> None:
    """A member is sent to an Admin; an Admin, who can give themselves the finance role,
    was sent to ask an Admin too."""
    assert "ask an Admin" in why_not(ACTORS["standard"], A.VIEW_BILLING)
    assert "ask an Admin" in why_not(ACTORS["standard"], A.MANAGE_BILLING)
    assert "as an Admin, give yourself" in why_not(ACTORS["admin"], A.VIEW_BILLING)
    assert "as an Admin, give it to yourself" in why_not(ACTORS["admin"], A.MANAGE_BILLING)


def test_an_invitee_is_told_to_accept_only_where_accepting_would_let_them() -> None:
    """ "Accept it before you view billing" sent an invited Standard member to accept, after
    which billing said it needs a finance role: for what accepting would not allow, the
    reason is the role's."""
    invited = Member("bc", "u", UserRole.STANDARD, MemberStatus.PENDING)
    assert why_not(invited, Action.VIEW_ASSETS) == (
        "Your invitation is still pending: accept it before you view assets."
    )
    assert why_not(invited, Action.VIEW_BILLING).startswith("Billing needs a finance role")
    assert why_not(invited, Action.INVITE_MEMBER) == why_not(ACTORS["standard"], A.INVITE_MEMBER)
