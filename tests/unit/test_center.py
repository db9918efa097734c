"""The Business Center use cases: each rule, each error path, one audit event per change."""

from __future__ import annotations

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from bc_tui.domain.models import (
    AssetLink,
    AssetRole,
    AssetType,
    Assignment,
    AuditEvent,
    Member,
    MemberStatus,
    Partner,
    RelationStatus,
    RequestKind,
    RequestStatus,
    TtAccountRole,
    User,
    UserRole,
)
from bc_tui.ids import SeededIds
from bc_tui.services import Services
from bc_tui.services.members import MAX_ADMINS
from bc_tui.store import Store
from tests.conftest import NORTHWIND, as_user


def events(services: Services, bc_id: str = NORTHWIND) -> list[AuditEvent]:
    return sorted(services.repo.find(AuditEvent, bc_id=bc_id), key=lambda e: e.time)


def file_bytes(services: Services) -> bytes:
    return services.store.path.read_bytes()


# --- create a Business Center ----------------------------------------------------------------


def test_creating_a_business_center_makes_the_creator_its_admin(services: Services) -> None:
    center, actor = services.center.create_business_center(
        "jo@acme.com", "Jo Diaz", "Acme Ads", "Acme Inc.", "usd", "Europe/Paris"
    )
    member = services.repo.first(Member, bc_id=center.bc_id, user_id=actor.user_id)
    assert member is not None
    assert (member.user_role, member.relation_status) == (UserRole.ADMIN, MemberStatus.BOUND)
    assert center.currency == "USD"
    [event] = events(services, center.bc_id)
    assert event.activity_log == "Jo Diaz created the Business Center Acme Ads"


def test_an_existing_user_creating_a_center_is_not_signed_up_twice(demo: Services) -> None:
    before = len(demo.repo.all(User))
    _, actor = demo.center.create_business_center(
        "AVA.CHEN@northwind.media", "ignored", "Third BC", "Northwind Media Ltd.", "USD", "UTC"
    )
    assert actor.user_id == as_user("ava").user_id
    assert len(demo.repo.all(User)) == before


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("not-an-email", "Jo", "Acme", "Acme", "USD", "UTC"), "email"),
        (("jo@acme.com", "Jo", "   ", "Acme", "USD", "UTC"), "name"),
        (("jo@acme.com", "Jo", "Acme", "Acme", "XYZ", "UTC"), "currency"),
        (("jo@acme.com", "Jo", "Acme", "Acme", "USD", "Mars/Olympus"), "timezone"),
        (("jo@acme.com", "Jo", "A\x1b[31m", "Acme", "USD", "UTC"), "name"),
        (("jo@acme.com", "Jo", "x" * 81, "Acme", "USD", "UTC"), "name"),
    ],
)
def test_bad_center_details_are_refused_naming_the_field(
    services: Services, args: tuple[str, ...], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.center.create_business_center(*args)
    assert caught.value.field == field
    assert services.repo.all(User) == []


# --- members ---------------------------------------------------------------------------------


def test_admin_invites_a_member_who_is_pending_until_they_accept(demo: Services) -> None:
    [member] = demo.members.invite_members(
        as_user("ava"), [" New.Person@Agency.com "], UserRole.STANDARD
    ).invited
    assert member.relation_status is MemberStatus.PENDING
    user = demo.repo.first(User, user_email="new.person@agency.com")
    assert user is not None
    assert events(demo)[-1].activity_log == "Ava Chen invited new.person@agency.com as Standard"
    from bc_tui.services import Actor

    accepted = demo.members.accept_invitation(Actor(user.user_id, NORTHWIND))
    assert accepted.relation_status is MemberStatus.BOUND
    assert events(demo)[-1].activity_log == "new.person accepted the invitation"


def test_standard_member_cannot_invite_and_nothing_changes(demo: Services) -> None:
    before = file_bytes(demo)
    with pytest.raises(PermissionDenied, match="Only an Admin can invite"):
        demo.members.invite_members(as_user("lena"), ["x@y.com"], UserRole.STANDARD)
    assert file_bytes(demo) == before


def test_inviting_an_existing_member_or_pending_invitee_is_a_conflict(demo: Services) -> None:
    with pytest.raises(Conflict, match="already a member"):
        demo.members.invite_members(
            as_user("ava"), ["lena.park@northwind.media"], UserRole.STANDARD
        )
    with pytest.raises(Conflict, match="already invited — resend or revoke"):
        demo.members.invite_members(as_user("ava"), ["sam.okafor@freelance.io"], UserRole.STANDARD)


def test_pending_invitee_cannot_act_yet(demo: Services) -> None:
    """Sam, invited as Standard, could not invite once joined either: told so, not to join."""
    with pytest.raises(PermissionDenied, match=r"^Only an Admin can invite") as refused:
        demo.members.invite_members(as_user("sam"), ["x@y.com"], UserRole.STANDARD)
    assert "pending" not in str(refused.value)


def test_promoting_beyond_twenty_admins_is_refused(demo: Services) -> None:
    ava = as_user("ava")
    for index in range(MAX_ADMINS - 2):
        demo.members.invite_members(ava, [f"admin{index}@northwind.media"], UserRole.ADMIN)
    with pytest.raises(Conflict, match="at most 20 Admins"):
        demo.members.change_member_role(ava, as_user("lena").user_id, UserRole.ADMIN)


def test_the_last_admin_cannot_be_demoted(demo: Services) -> None:
    ava, marcus = as_user("ava"), as_user("marcus")
    demo.members.change_member_role(ava, marcus.user_id, UserRole.STANDARD)
    assert events(demo)[-1].activity_log == (
        "Ava Chen changed Marcus Reid's role from Admin to Standard"
    )
    with pytest.raises(Conflict, match=r"last Admin and cannot be demoted.*at least two"):
        demo.members.change_member_role(ava, ava.user_id, UserRole.STANDARD)


def test_changing_to_the_same_role_says_so(demo: Services) -> None:
    with pytest.raises(ValidationError, match="already Standard"):
        demo.members.change_member_role(as_user("ava"), as_user("lena").user_id, UserRole.STANDARD)


def test_changing_the_role_of_a_stranger_is_not_found(demo: Services) -> None:
    with pytest.raises(NotFound):
        demo.members.change_member_role(as_user("ava"), "123", UserRole.ADMIN)


# --- assignments -----------------------------------------------------------------------------


def test_admin_assigns_a_member_as_operator_on_an_active_tiktok_account(demo: Services) -> None:
    diego = as_user("diego").user_id
    demo.center.assign_member(
        as_user("ava"), diego, AssetType.TT_ACCOUNT, "mira.makes", AssetRole.OPERATOR
    )
    assert demo.repo.first(
        Assignment, user_id=diego, asset_id="mira.makes", role=AssetRole.OPERATOR
    )
    assert events(demo)[-1].activity_log == (
        "Ava Chen assigned Diego Alvarez as Operator on @mira.makes"
    )


def test_reassigning_with_another_role_changes_the_role(demo: Services) -> None:
    lena = as_user("lena").user_id
    demo.center.assign_member(
        as_user("ava"), lena, AssetType.TT_ACCOUNT, "brightlane.studio", AssetRole.ANALYST
    )
    [assignment] = demo.repo.find(Assignment, user_id=lena, asset_id="brightlane.studio")
    assert assignment.role is AssetRole.ANALYST
    assert events(demo)[-1].activity_log == (
        "Ava Chen changed Lena Park's role on @brightlane.studio from Operator to Analyst"
    )
    with pytest.raises(Conflict, match="already Analyst"):
        demo.center.assign_member(
            as_user("ava"), lena, AssetType.TT_ACCOUNT, "brightlane.studio", AssetRole.ANALYST
        )


def test_tiktok_accounts_take_only_operator_or_analyst(demo: Services) -> None:
    with pytest.raises(ValidationError, match="Operator or Analyst"):
        demo.center.assign_member(
            as_user("ava"),
            as_user("lena").user_id,
            AssetType.TT_ACCOUNT,
            "mira.makes",
            AssetRole.ADMIN,
        )


@pytest.mark.parametrize("handle", ["solstice.skin", "vantage.gaming", "harbor.eats"])
def test_only_active_accounts_can_be_assigned(demo: Services, handle: str) -> None:
    with pytest.raises(Conflict, match="only active assets can be assigned"):
        demo.center.assign_member(
            as_user("ava"),
            as_user("lena").user_id,
            AssetType.TT_ACCOUNT,
            handle,
            AssetRole.ANALYST,
        )


def test_assigning_an_account_of_another_center_points_to_the_center_switch(
    demo: Services,
) -> None:
    with pytest.raises(NotFound, match="not in this Business Center"):
        demo.center.assign_member(
            as_user("ava"),
            as_user("lena").user_id,
            AssetType.TT_ACCOUNT,
            "labs.prototype",
            AssetRole.ANALYST,
        )


def test_unassign_removes_the_assignment_and_logs_it(demo: Services) -> None:
    lena = as_user("lena").user_id
    demo.center.unassign_member(as_user("ava"), lena, AssetType.TT_ACCOUNT, "mira.makes")
    assert demo.repo.first(Assignment, user_id=lena, asset_id="mira.makes") is None
    assert events(demo)[-1].activity_log == "Ava Chen removed Lena Park from @mira.makes"
    with pytest.raises(NotFound, match="has no role"):
        demo.center.unassign_member(as_user("ava"), lena, AssetType.TT_ACCOUNT, "mira.makes")


def test_standard_member_cannot_assign(demo: Services) -> None:
    with pytest.raises(PermissionDenied, match="Only an Admin can assign"):
        demo.center.assign_member(
            as_user("lena"),
            as_user("diego").user_id,
            AssetType.TT_ACCOUNT,
            "mira.makes",
            AssetRole.ANALYST,
        )


# --- removing a TikTok account link ----------------------------------------------------------


def test_revoking_access_ends_the_link_and_every_assignment_in_one_write(
    demo: Services,
) -> None:
    revision = demo.store.revision
    link = demo.center.remove_tiktok_account(as_user("ava"), "brightlane.studio")
    assert link is not None and link.relation_status is RelationStatus.UNBOUND
    assert demo.repo.find(Assignment, bc_id=NORTHWIND, asset_id="brightlane.studio") == []
    assert demo.store.revision == revision + 1
    assert events(demo)[-1].activity_log == (
        "Ava Chen ended access to @brightlane.studio and removed 1 member assignment and its "
        "share with Lumen Creative"
    )
    # A Business Center cannot share what it no longer holds: the partner keeps the rest
    [share] = demo.repo.find(Partner, bc_id=NORTHWIND, asset_type=AssetType.TT_ACCOUNT)
    assert share.asset_ids == ("urbanpeak.outdoors",)


def test_giving_up_a_claimed_account_says_ownership(demo: Services) -> None:
    demo.center.remove_tiktok_account(as_user("ava"), "northwind.careers")
    assert events(demo)[-1].activity_log == "Ava Chen gave up ownership of @northwind.careers"


@pytest.mark.parametrize("handle", ["solstice.skin", "vantage.gaming", "harbor.eats"])
def test_removing_a_stale_entry_clears_it_for_a_retry(demo: Services, handle: str) -> None:
    assert demo.center.remove_tiktok_account(as_user("marcus"), handle) is None
    assert demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id=handle) is None
    assert "cleared the" in events(demo)[-1].activity_log


def test_clearing_a_pending_entry_cancels_its_code(demo: Services) -> None:
    """Cleared, the entry left the list while the owner could still authorize its code."""
    ava = as_user("ava")
    request = demo.linking.request_authorization(
        ava, "fresh.handle", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    assert demo.center.remove_tiktok_account(ava, "fresh.handle") is None
    assert demo.linking.request(request.request_id).status is RequestStatus.CANCELLED
    with pytest.raises(Conflict, match="cancelled"):
        demo.linking.approve(request.token, "fresh.handle")
    assert demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="fresh.handle") is None
    assert events(demo)[-1].activity_log == (
        "Ava Chen cleared the pending entry for @fresh.handle and cancelled its live code"
    )


def test_ending_access_cancels_a_live_claim_too(demo: Services) -> None:
    """Ended with a claim code live, the owner could still approve it: the Business Center
    whose access was just ended then owned the account."""
    ava = as_user("ava")
    claim = demo.linking.request_authorization(
        ava, "brightlane.studio", RequestKind.CLAIM_OWNERSHIP
    )
    link = demo.center.remove_tiktok_account(ava, "brightlane.studio")
    assert link is not None and link.relation_status is RelationStatus.UNBOUND
    with pytest.raises(Conflict, match="cancelled"):
        demo.linking.approve(claim.token, "brightlane.studio")
    assert events(demo)[-1].activity_log == (
        "Ava Chen ended access to @brightlane.studio and removed 1 member assignment and its "
        "share with Lumen Creative and cancelled its live code"
    )


def test_removing_an_unknown_account_is_not_found(demo: Services) -> None:
    with pytest.raises(NotFound, match=r"@nobody\.here is not in this Business Center"):
        demo.center.remove_tiktok_account(as_user("ava"), "nobody.here")


def test_standard_member_cannot_remove_and_file_is_unchanged(demo: Services) -> None:
    before = file_bytes(demo)
    with pytest.raises(PermissionDenied):
        demo.center.remove_tiktok_account(as_user("diego"), "northwind.coffee")
    assert file_bytes(demo) == before


def test_assign_several_members_to_several_accounts_at_once(demo: Services) -> None:
    ava, lena, diego = as_user("ava"), as_user("lena"), as_user("diego")
    count = demo.center.assign_members(
        ava,
        AssetType.TT_ACCOUNT,
        ["mira.makes", "northwind.careers"],
        [lena.user_id, diego.user_id],
        AssetRole.ANALYST,
    )
    assert count == 4  # Lena was Operator on @mira.makes: changed to Analyst
    roles = {
        (a.user_id, a.asset_id): a.role
        for a in demo.repo.find(Assignment, bc_id=NORTHWIND, asset_type=AssetType.TT_ACCOUNT)
    }
    assert roles[lena.user_id, "mira.makes"] is AssetRole.ANALYST
    assert roles[diego.user_id, "northwind.careers"] is AssetRole.ANALYST
    assert events(demo)[-1].activity_log == (
        "Ava Chen assigned Diego Alvarez as Analyst on @northwind.careers"
    )
    # A change is logged as one (it read "assigned Lena Park as Analyst", hiding a lowering)
    assert "Ava Chen changed Lena Park's role on @mira.makes from Operator to Analyst" in [
        event.activity_log for event in events(demo)
    ]
    assert demo.views.roles_on(ava, AssetType.TT_ACCOUNT, ["mira.makes"]) == {
        lena.user_id: [AssetRole.ANALYST],
        diego.user_id: [AssetRole.ANALYST],
    }
    again = demo.center.assign_members(
        ava, AssetType.TT_ACCOUNT, ["mira.makes"], [lena.user_id], AssetRole.ANALYST
    )
    assert again == 0


def test_assigning_many_is_refused_whole_when_one_account_is_not_active(
    demo: Services,
) -> None:
    before = demo.store.path.read_bytes()
    with pytest.raises(Conflict, match=r"@vantage\.gaming is rejected"):
        demo.center.assign_members(
            as_user("ava"),
            AssetType.TT_ACCOUNT,
            ["mira.makes", "vantage.gaming"],
            [as_user("diego").user_id],
            AssetRole.OPERATOR,
        )
    assert demo.store.path.read_bytes() == before
    with pytest.raises(ValidationError, match="nobody chosen"):
        demo.center.assign_members(
            as_user("ava"), AssetType.TT_ACCOUNT, ["mira.makes"], [], AssetRole.OPERATOR
        )


def test_an_admin_changes_the_business_info_and_it_is_logged(demo: Services) -> None:
    ava = as_user("ava")
    before = demo.views.business_center(NORTHWIND)
    center = demo.center.update_business_info(
        ava, "  Northwind Studio ", before.company, "Europe/London"
    )
    assert (center.name, center.company, center.timezone) == (
        "Northwind Studio",
        before.company,
        "Europe/London",
    )
    assert center.currency == before.currency
    assert events(demo)[-1].activity_log == (
        f"Ava Chen changed the business info: name {before.name} → Northwind Studio; "
        f"time zone {before.timezone} → Europe/London"
    )


def test_a_time_zone_typed_in_any_case_is_stored_as_it_is_spelt(demo: Services) -> None:
    """ "europe/london" was no time zone (on Linux its file is Europe/London)."""
    center = demo.views.business_center(NORTHWIND)
    for typed, stored in (("europe/london", "Europe/London"), (" utc ", "UTC")):
        changed = demo.center.update_business_info(
            as_user("ava"), center.name, center.company, typed
        )
        assert changed.timezone == stored


def test_business_info_unchanged_writes_nothing(demo: Services) -> None:
    center = demo.views.business_center(NORTHWIND)
    logged = len(events(demo))
    revision = demo.store.revision
    demo.center.update_business_info(as_user("ava"), center.name, center.company, center.timezone)
    assert (len(events(demo)), demo.store.revision) == (logged, revision)


@pytest.mark.parametrize(
    ("name", "timezone", "problem"),
    [("", "UTC", "name: is empty"), ("Northwind", "Mars/Olympus", "is not a time zone")],
)
def test_business_info_is_checked(demo: Services, name: str, timezone: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        demo.center.update_business_info(as_user("ava"), name, "Company", timezone)


def test_only_an_admin_changes_the_business_info(demo: Services) -> None:
    with pytest.raises(PermissionDenied, match="Only an Admin can change business info"):
        demo.center.update_business_info(as_user("lena"), "Mine now", "Company", "UTC")


PIXEL, ADMIN = AssetType.PIXEL, AssetRole.ADMIN


def test_an_asset_is_named_as_this_center_names_it(demo: Services) -> None:
    """Its name in sentences (the log, errors); its ID where this Business Center has none
    for it (another's ad account is not named to someone outside it)."""
    ava = as_user("ava")
    demo.center.assign_member(ava, as_user("diego").user_id, PIXEL, "7301900000000000401", ADMIN)
    assert events(demo)[-1].activity_log == (
        "Ava Chen changed Diego Alvarez's role on pixel Northwind Coffee — web pixel from "
        "Analyst to Admin"
    )
    with pytest.raises(NotFound, match="ad account 7214550918300000201 is not in this"):
        demo.center.assign_member(
            ava, as_user("diego").user_id, AssetType.ADVERTISER, "7214550918300000201", ADMIN
        )


def test_security_settings_limit_the_email_domains_of_new_members(demo: Services) -> None:
    """DOMAIN: Security settings' email-domain allow-list. An address elsewhere is not
    invited (with why); members and invitations already there stay; empty allows any."""
    ava = as_user("ava")
    center = demo.center.update_security(ava, " @Northwind.media, agency.io northwind.media ")
    assert center.allowed_email_domains == ("northwind.media", "agency.io")
    assert events(demo)[-1].activity_log == (
        "Ava Chen changed the security settings: new members only at northwind.media, agency.io"
    )
    reopened = Services(Store(demo.store.path), FakeClock(), SeededIds(1))
    assert reopened.views.business_center(NORTHWIND).allowed_email_domains == (
        "northwind.media",
        "agency.io",
    )
    invitation = demo.members.invite_members(
        ava, ["new.hire@northwind.media", "x@gmail.com", "y@sub.agency.io"], UserRole.STANDARD
    )
    [invited] = invitation.invited
    assert demo.repo.first(User, user_id=invited.user_id).user_email == "new.hire@northwind.media"
    allow = "Security settings allow only northwind.media, agency.io"
    assert invitation.skipped == (("x@gmail.com", allow), ("y@sub.agency.io", allow))
    with pytest.raises(Conflict, match="Nobody new to invite") as refused:
        demo.members.invite_members(
            ava, ["z@gmail.com", "z@gmail.com", "sam.okafor@freelance.io"], UserRole.STANDARD
        )
    assert str(refused.value) == (  # (what else is wrong with an address comes first)
        f"Nobody new to invite (z@gmail.com: {allow}; "
        "sam.okafor@freelance.io: already invited — resend or revoke that invitation)."
    )
    with pytest.raises(Conflict, match="cannot be invited again"):  # (it stays; not resent)
        demo.members.resend_invitation(ava, as_user("sam").user_id)
    logged = len(events(demo))
    demo.center.update_security(ava, "agency.io, northwind.media, @AGENCY.io")  # (the same)
    assert len(events(demo)) == logged
    assert demo.center.update_security(ava, "").allowed_email_domains == ()
    assert events(demo)[-1].activity_log.endswith("new members at any email domain")
    assert demo.members.invite_members(ava, ["z@gmail.com"], UserRole.STANDARD).invited


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("northwind", "'northwind' is not a domain"),
        ("a@b.com", "'a@b.com' is not a domain"),
        (" ".join(f"d{n}.com" for n in range(21)), "21 given — allow at most 20"),
    ],
)
def test_security_settings_are_checked(demo: Services, typed: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        demo.center.update_security(as_user("ava"), typed)
    with pytest.raises(PermissionDenied, match="Only an Admin can change security settings"):
        demo.center.update_security(as_user("diego"), "northwind.media")
