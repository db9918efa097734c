"""Members: invitations, roles, finance roles and offboarding."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import Conflict, PermissionDenied, ValidationError
from bc_tui.domain.models import (
    INVITE_TTL,
    Assignment,
    AuditEvent,
    FinanceRole,
    Member,
    MemberStatus,
    UserRole,
)
from bc_tui.services import Services
from bc_tui.services.members import MAX_INVITES, split_emails
from tests.conftest import NORTHWIND, as_user


def events(services: Services) -> list[str]:
    found = sorted(services.repo.find(AuditEvent, bc_id=NORTHWIND), key=lambda e: e.time)
    return [event.activity_log for event in found]


def test_emails_are_split_as_people_paste_them() -> None:
    assert split_emails("a@x.io, b@x.io;c@x.io\nd@x.io  e@x.io") == [
        "a@x.io",
        "b@x.io",
        "c@x.io",
        "d@x.io",
        "e@x.io",
    ]


def test_inviting_several_reports_who_was_skipped_and_why(demo: Services) -> None:
    result = demo.members.invite_members(
        as_user("ava"),
        [
            "new@agency.com",
            "NEW@agency.com",
            "lena.park@northwind.media",
            "sam.okafor@freelance.io",
        ],
        UserRole.STANDARD,
        FinanceRole.ANALYST,
    )
    assert [m.relation_status for m in result.invited] == [MemberStatus.PENDING]
    assert result.invited[0].finance_role is FinanceRole.ANALYST
    assert result.skipped == (
        ("lena.park@northwind.media", "already a member"),
        ("sam.okafor@freelance.io", "already invited — resend or revoke that invitation"),
    )
    assert events(demo)[-1] == "Ava Chen invited new@agency.com as Standard + Finance Analyst"


def test_one_bad_address_refuses_the_whole_invite(demo: Services) -> None:
    before = demo.store.path.read_bytes()
    with pytest.raises(ValidationError, match="'not-an-email' is not an email address"):
        demo.members.invite_members(
            as_user("ava"), ["ok@agency.com", "not-an-email"], UserRole.STANDARD
        )
    assert demo.store.path.read_bytes() == before


def test_at_most_fifty_per_invite_and_nobody_new_is_a_conflict(demo: Services) -> None:
    many = [f"p{i}@agency.com" for i in range(MAX_INVITES + 1)]
    with pytest.raises(ValidationError, match="at most 50"):
        demo.members.invite_members(as_user("ava"), many, UserRole.STANDARD)
    with pytest.raises(Conflict, match=r"Nobody new to invite \(lena.park@northwind.media"):
        demo.members.invite_members(
            as_user("ava"), ["lena.park@northwind.media"], UserRole.STANDARD
        )
    with pytest.raises(ValidationError, match="none given"):
        demo.members.invite_members(as_user("ava"), [], UserRole.STANDARD)


def test_bulk_admin_invites_respect_the_cap_of_twenty(demo: Services) -> None:
    admins = [f"a{i}@agency.com" for i in range(19)]  # two exist already
    with pytest.raises(Conflict, match="at most 20 Admins"):
        demo.members.invite_members(as_user("ava"), admins, UserRole.ADMIN)


def test_resend_revoke_and_accept(demo: Services, clock: FakeClock) -> None:
    ava, sam = as_user("ava"), as_user("sam")
    clock.advance(3600)
    resent = demo.members.resend_invitation(ava, sam.user_id)
    assert resent.invited_at == clock.now()
    assert events(demo)[-1] == "Ava Chen resent the invitation to sam.okafor@freelance.io"
    accepted = demo.members.accept_invitation(sam)
    assert accepted.relation_status is MemberStatus.BOUND
    with pytest.raises(Conflict, match="already accepted"):
        demo.members.revoke_invitation(ava, sam.user_id)


def test_revoking_an_invitation_removes_it_and_its_assets(demo: Services) -> None:
    ava, sam = as_user("ava"), as_user("sam")
    from bc_tui.domain.models import AssetRole, AssetType

    demo.center.assign_member(
        ava, sam.user_id, AssetType.TT_ACCOUNT, "mira.makes", AssetRole.ANALYST
    )
    demo.members.revoke_invitation(ava, sam.user_id)
    assert demo.repo.first(Member, bc_id=NORTHWIND, user_id=sam.user_id) is None
    assert demo.repo.find(Assignment, user_id=sam.user_id) == []
    assert events(demo)[-1] == "Ava Chen revoked the invitation to sam.okafor@freelance.io"


def test_an_invitation_expires_and_a_resent_one_counts_from_then(
    demo: Services, clock: FakeClock
) -> None:
    """DOMAIN's third hitch: an expired invite is a stale entry; it is shown as expired,
    cannot be accepted, is not invited over, and resending it renews it."""
    ava, sam = as_user("ava"), as_user("sam")
    member = demo.repo.first(Member, bc_id=NORTHWIND, user_id=sam.user_id)
    assert member is not None and member.invite_expires_at is not None
    clock.set(member.invite_expires_at)
    [row] = [r for r in demo.views.members(ava) if r.user_id == sam.user_id]
    assert row.invite_expired
    assert demo.views.header(sam).role == "Standard (invitation expired)"
    with pytest.raises(Conflict, match=r"expired on .* Ask an Admin .* to resend it"):
        demo.members.accept_invitation(sam)
    with pytest.raises(Conflict, match="invitation expired — resend it, or revoke it"):
        demo.members.invite_members(ava, ["sam.okafor@freelance.io"], UserRole.STANDARD)
    demo.members.resend_invitation(ava, sam.user_id)
    assert not next(r for r in demo.views.members(ava) if r.user_id == sam.user_id).invite_expired
    clock.advance(INVITE_TTL.total_seconds() - 1)
    assert demo.members.accept_invitation(sam).relation_status is MemberStatus.BOUND


def test_an_invitation_is_good_until_it_expires(demo: Services, clock: FakeClock) -> None:
    sam = as_user("sam")
    member = demo.repo.first(Member, bc_id=NORTHWIND, user_id=sam.user_id)
    assert member is not None and member.invite_expires_at is not None
    clock.set(member.invite_expires_at - timedelta(seconds=1))
    assert demo.members.accept_invitation(sam).relation_status is MemberStatus.BOUND


def test_change_finance_role(demo: Services) -> None:
    ava, lena = as_user("ava"), as_user("lena")
    member = demo.members.change_finance_role(ava, lena.user_id, FinanceRole.MANAGER)
    assert member.finance_role is FinanceRole.MANAGER
    assert events(demo)[-1] == (
        "Ava Chen changed Lena Park's finance role from none to Finance Manager"
    )
    demo.members.change_finance_role(ava, lena.user_id, None)
    with pytest.raises(ValidationError, match="already has no finance role"):
        demo.members.change_finance_role(ava, lena.user_id, None)
    with pytest.raises(PermissionDenied):
        demo.members.change_finance_role(as_user("priya"), lena.user_id, FinanceRole.ANALYST)


def test_removing_a_member_takes_every_assignment_and_logs_each(demo: Services) -> None:
    ava, lena = as_user("ava"), as_user("lena")
    assert demo.members.remove_member(ava, lena.user_id) == 4
    assert demo.repo.first(Member, bc_id=NORTHWIND, user_id=lena.user_id) is None
    assert demo.repo.find(Assignment, bc_id=NORTHWIND, user_id=lena.user_id) == []
    log = events(demo)[-5:]
    assert log[-1] == "Ava Chen removed Lena Park from the Business Center"
    assert sum("while removing them" in line for line in log) == 4
    assert "Ava Chen removed Lena Park from @mira.makes (Operator) while removing them" in log
    # An ad account by the name the screens give it, not its ID
    assert (
        "Ava Chen removed Lena Park from ad account Mira Makes — LIVE (Admin) while removing them"
        in log
    )
    # Lena keeps her place in the other Business Center
    from tests.conftest import LABS

    assert demo.repo.first(Member, bc_id=LABS, user_id=lena.user_id) is not None


def test_the_last_admin_cannot_be_removed_and_nobody_removes_themselves(
    demo: Services,
) -> None:
    ava, marcus = as_user("ava"), as_user("marcus")
    with pytest.raises(Conflict, match="cannot remove yourself"):
        demo.members.remove_member(ava, ava.user_id)
    demo.members.remove_member(ava, marcus.user_id)
    demo.members.change_member_role(ava, as_user("lena").user_id, UserRole.ADMIN)
    lena = as_user("lena")
    demo.members.remove_member(lena, ava.user_id)
    # Lena is now the only Admin: only she could remove herself, which nobody may do, and
    # she cannot be demoted either.
    with pytest.raises(Conflict, match="cannot remove yourself"):
        demo.members.remove_member(lena, lena.user_id)
    with pytest.raises(Conflict, match="last Admin and cannot be demoted"):
        demo.members.change_member_role(lena, lena.user_id, UserRole.STANDARD)


def test_an_invitation_can_bring_assets_with_a_role(demo: Services) -> None:
    from bc_tui.domain.models import AssetRole, AssetType

    result = demo.members.invite_members(
        as_user("ava"),
        ["new@agency.com"],
        UserRole.STANDARD,
        assets=((AssetType.TT_ACCOUNT, "mira.makes"), (AssetType.TT_ACCOUNT, "northwind.coffee")),
        asset_role=AssetRole.ANALYST,
    )
    [invited] = result.invited
    held = demo.repo.find(Assignment, bc_id=NORTHWIND, user_id=invited.user_id)
    assert {(a.asset_id, a.role) for a in held} == {
        ("mira.makes", AssetRole.ANALYST),
        ("northwind.coffee", AssetRole.ANALYST),
    }
    assert events(demo)[-1] == (
        "Ava Chen invited new@agency.com as Standard, Analyst on @mira.makes, @northwind.coffee"
    )


def test_an_invitation_with_a_pending_asset_is_refused_whole(demo: Services) -> None:
    from bc_tui.domain.models import AssetRole, AssetType

    before = demo.store.path.read_bytes()
    with pytest.raises(Conflict, match="only active assets"):
        demo.members.invite_members(
            as_user("ava"),
            ["new@agency.com"],
            UserRole.STANDARD,
            assets=((AssetType.TT_ACCOUNT, "solstice.skin"),),
            asset_role=AssetRole.OPERATOR,
        )
    with pytest.raises(ValidationError, match="Operator or Analyst"):
        demo.members.invite_members(
            as_user("ava"),
            ["new@agency.com"],
            UserRole.STANDARD,
            assets=((AssetType.TT_ACCOUNT, "mira.makes"),),
            asset_role=AssetRole.ADMIN,
        )
    assert demo.store.path.read_bytes() == before


def test_an_invitation_is_not_resent_where_security_settings_now_refuse_it(
    demo: Services,
) -> None:
    """Sam's invitation went to freelance.io before Security settings allowed only
    northwind.media: resending it went ahead, though a new invitation there is refused."""
    ava, sam = as_user("ava"), as_user("sam")
    demo.center.update_security(ava, "northwind.media")
    with pytest.raises(Conflict, match="cannot be invited again: Security settings allow only"):
        demo.members.resend_invitation(ava, sam.user_id)
    demo.center.update_security(ava, "")
    assert demo.members.resend_invitation(ava, sam.user_id).relation_status is (
        MemberStatus.PENDING
    )
