"""Adding TikTok accounts: requests, tokens, expiry, and the owner's answer."""

from __future__ import annotations

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from bc_tui.domain.models import (
    DEFAULT_QR_TTL,
    AssetLink,
    AssetType,
    AuditEvent,
    InboxMessage,
    RelationStatus,
    RelationType,
    RequestKind,
    RequestMethod,
    RequestStatus,
    TikTokAccount,
    TtAccountRole,
)
from bc_tui.domain.validation import HANDLE_RULE
from bc_tui.services import Services, linking
from tests.conftest import LABS, NORTHWIND, as_user

ACCESS = RequestKind.REQUEST_ACCESS
CLAIM = RequestKind.CLAIM_OWNERSHIP
POST, LIVE = TtAccountRole.POST, TtAccountRole.LIVE


def link(services: Services, handle: str, bc_id: str = NORTHWIND) -> AssetLink | None:
    return services.repo.first(
        AssetLink, bc_id=bc_id, asset_type=AssetType.TT_ACCOUNT, asset_id=handle
    )


def last_event(services: Services, bc_id: str = NORTHWIND) -> str:
    events = sorted(services.repo.find(AuditEvent, bc_id=bc_id), key=lambda e: e.time)
    return events[-1].activity_log


# --- creating requests -----------------------------------------------------------------------


def test_admin_requests_access_and_gets_a_pending_single_use_code(
    demo: Services, clock: FakeClock
) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "@New.Brand", ACCESS, (POST,))
    assert request.handle == "new.brand"
    assert request.status is RequestStatus.NOT_USED
    assert request.method is RequestMethod.QR
    assert (request.expires_at - request.created_at).total_seconds() == 300
    assert request.created_at == clock.now()
    assert len(request.token) == 16
    entry = link(demo, "new.brand")
    assert entry is not None
    assert (entry.relation_type, entry.relation_status) == (
        RelationType.OWNER_INDIVIDUAL,
        RelationStatus.PENDING,
    )
    assert last_event(demo) == "Ava Chen requested access to @new.brand (Spark Ads) — QR code"


def test_claiming_asks_for_every_scope(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "new.brand", CLAIM)
    assert request.scopes == (POST, LIVE)
    assert link(demo, "new.brand").relation_type is RelationType.OWNER_BC


def test_request_access_needs_at_least_one_scope(demo: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, ())
    assert caught.value.field == "access"
    assert "Spark Ads, LIVE ads or both" in str(caught.value)


def test_standard_member_cannot_request_and_nothing_changes(demo: Services) -> None:
    before = demo.store.path.read_bytes()
    with pytest.raises(PermissionDenied, match="Only an Admin can add TikTok accounts"):
        demo.linking.request_authorization(as_user("lena"), "new.brand", ACCESS, (POST,))
    assert demo.store.path.read_bytes() == before


@pytest.mark.parametrize(
    "handle",
    [
        *("", "  ", "@", "a", "x" * 25, "1234567", "bad handle", "émile", "[bold]x", "a\x1b[2J"),
        *("abc.", "https://www.tiktok.com/@", "https://www.tiktok.com/@x", "tiktok.com/@a b"),
    ],
)
def test_a_handle_that_is_not_a_tiktok_handle_is_refused_with_the_rule(
    demo: Services, handle: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        demo.linking.request_authorization(as_user("ava"), handle, ACCESS, (POST,))
    assert caught.value.field == "handle"
    assert HANDLE_RULE in str(caught.value)


@pytest.mark.parametrize(
    "typed",
    [
        "https://www.tiktok.com/@New.Brand",
        "https://www.tiktok.com/@new.brand?lang=en",
        "tiktok.com/@new.brand/",
        "  m.tiktok.com/@new.brand#top ",
        "@NEW.BRAND",
    ],
)
def test_a_profiles_address_as_copied_gives_its_handle(demo: Services, typed: str) -> None:
    request = demo.linking.request_authorization(as_user("ava"), typed, ACCESS, (POST,))
    assert request.handle == "new.brand"


def test_requesting_access_to_an_active_account_is_refused(demo: Services) -> None:
    with pytest.raises(Conflict, match=r"already has access to @brightlane\.studio"):
        demo.linking.request_authorization(as_user("ava"), "brightlane.studio", ACCESS, (LIVE,))
    with pytest.raises(Conflict, match=r"already owns @northwind\.coffee"):
        demo.linking.request_authorization(as_user("ava"), "northwind.coffee", CLAIM)


def test_an_account_with_access_can_be_claimed(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "brightlane.studio", CLAIM)
    assert link(demo, "brightlane.studio").relation_status is RelationStatus.BOUND
    demo.linking.approve(request.token, "brightlane.studio")
    entry = link(demo, "brightlane.studio")
    assert (entry.relation_type, entry.relation_status) == (
        RelationType.OWNER_BC,
        RelationStatus.BOUND,
    )


def test_a_new_request_replaces_the_live_one(demo: Services) -> None:
    first = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    second = demo.linking.request_authorization(as_user("marcus"), "new.brand", ACCESS, (LIVE,))
    assert demo.linking.request(first.request_id).status is RequestStatus.CANCELLED
    assert second.token != first.token
    with pytest.raises(Conflict, match="replaced or cancelled"):
        demo.linking.approve(first.token, "new.brand")


def test_ttl_is_a_setting(demo: Services) -> None:
    from bc_tui.services.linking import LinkingService

    short = LinkingService(demo.repo, demo.clock, demo.ids, qr_ttl=30)
    request = short.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    assert (request.expires_at - request.created_at).total_seconds() == 30
    with pytest.raises(ValidationError):
        LinkingService(demo.repo, demo.clock, demo.ids, qr_ttl=0)
    with pytest.raises(ValidationError):  # when the services are built, not at first use
        Services(demo.store, demo.clock, demo.ids, qr_ttl=0)


# --- regenerate, notification, cancel --------------------------------------------------------


def test_regenerating_cancels_the_old_token(demo: Services, clock: FakeClock) -> None:
    old = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    clock.advance(120)
    new = demo.linking.regenerate(as_user("ava"), old.request_id)
    assert demo.linking.request(old.request_id).status is RequestStatus.CANCELLED
    assert (new.kind, new.scopes, new.handle) == (old.kind, old.scopes, old.handle)
    assert new.expires_at == clock.now() + (old.expires_at - old.created_at)
    assert last_event(demo) == "Ava Chen generated a new QR code for @new.brand"


def test_regenerating_an_expired_code_gives_a_working_one(demo: Services, clock: FakeClock) -> None:
    old = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    clock.advance(301)
    new = demo.linking.regenerate(as_user("ava"), old.request_id)
    assert demo.linking.approve(new.token, "new.brand").status is RequestStatus.APPROVED


def test_notification_cancels_the_qr_and_lands_in_the_inbox(demo: Services) -> None:
    qr = demo.linking.request_authorization(as_user("ava"), "new.brand", CLAIM)
    sent = demo.linking.send_notification(as_user("ava"), qr.request_id)
    assert sent.method is RequestMethod.NOTIFICATION
    assert demo.linking.request(qr.request_id).status is RequestStatus.CANCELLED
    [message] = demo.repo.find(InboxMessage, handle="new.brand")
    assert message.request_id == sent.request_id
    assert message.text == (
        "Business Center Northwind Media wants to claim ownership of your account @new.brand."
    )
    assert "sent a notification" in last_event(demo)


def test_cancel_stops_the_token(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    assert demo.linking.cancel(as_user("ava"), request.request_id).status is (
        RequestStatus.CANCELLED
    )
    with pytest.raises(Conflict):
        demo.linking.approve(request.token, "new.brand")


def test_the_log_says_whether_a_claim_or_a_request_was_cancelled(demo: Services) -> None:
    ava = as_user("ava")
    claim = demo.linking.request_authorization(ava, "brightlane.studio", CLAIM)
    demo.linking.cancel(ava, claim.request_id)
    assert last_event(demo) == "Ava Chen cancelled the claim of @brightlane.studio"
    request = demo.linking.request_authorization(ava, "new.brand", ACCESS, (POST,))
    demo.linking.cancel(ava, request.request_id)
    assert last_event(demo) == "Ava Chen cancelled the request for @new.brand"


def test_another_centers_request_is_not_yours_to_touch(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    with pytest.raises(NotFound, match="another Business Center"):
        demo.linking.regenerate(as_user("ava", LABS), request.request_id)


# --- the owner's answer ----------------------------------------------------------------------


def test_owner_approves_and_the_account_is_linked_with_its_scopes(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (LIVE, POST))
    done = demo.linking.approve(request.token, "new.brand")
    assert done.status is RequestStatus.APPROVED
    entry = link(demo, "new.brand")
    assert (entry.relation_type, entry.relation_status, entry.tt_account_roles) == (
        RelationType.OWNER_INDIVIDUAL,
        RelationStatus.BOUND,
        (POST, LIVE),
    )
    assert demo.repo.first(TikTokAccount, handle="new.brand") is not None
    assert last_event(demo) == ("@new.brand granted Northwind Media access (Spark Ads, LIVE ads)")
    row = next(r for r in demo.views.tiktok_accounts(as_user("ava")) if r.handle == "new.brand")
    assert row.relation_status is RelationStatus.BOUND


def test_owner_approves_a_claim(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "solstice.skin", CLAIM)
    demo.linking.approve(request.token, "solstice.skin")
    entry = link(demo, "solstice.skin")
    assert (entry.relation_type, entry.relation_status) == (
        RelationType.OWNER_BC,
        RelationStatus.BOUND,
    )
    assert last_event(demo) == "@solstice.skin approved: Northwind Media now owns the account"


def test_approving_from_the_wrong_account_fails_with_the_reason(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    failed = demo.linking.approve(request.token, "mira.makes")
    assert failed.status is RequestStatus.FAILED
    assert failed.reason.startswith(
        "authorization failed: the phone is logged in as @mira.makes, "
        "this request is for @new.brand"
    )
    assert link(demo, "new.brand").relation_status is RelationStatus.PENDING
    assert "failed" in last_event(demo)
    with pytest.raises(Conflict, match="already used and failed"):
        demo.linking.approve(request.token, "new.brand")


def test_expiry_is_exactly_at_expires_at(demo: Services, clock: FakeClock) -> None:
    early = demo.linking.request_authorization(as_user("ava"), "one.brand", ACCESS, (POST,))
    clock.advance(299)
    assert demo.linking.approve(early.token, "one.brand").status is RequestStatus.APPROVED
    late = demo.linking.request_authorization(as_user("ava"), "two.brand", ACCESS, (POST,))
    clock.advance(300)
    assert late.status_at(clock.now()) is RequestStatus.EXPIRED
    expired = demo.linking.approve(late.token, "two.brand")
    assert expired.status is RequestStatus.EXPIRED
    assert "ask for a new code" in expired.reason
    assert link(demo, "two.brand").relation_status is RelationStatus.PENDING
    assert last_event(demo) == "@two.brand tried to use an expired code for @two.brand"


def test_a_token_works_once(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    demo.linking.approve(request.token, "new.brand")
    with pytest.raises(Conflict, match="already approved"):
        demo.linking.approve(request.token, "new.brand")
    with pytest.raises(Conflict, match="already approved"):
        demo.linking.decline(request.token, "new.brand")


def test_unknown_token_is_not_found(demo: Services) -> None:
    with pytest.raises(NotFound, match="not valid"):
        demo.linking.approve("nope", "new.brand")


def test_owner_declines_and_the_entry_is_rejected(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "new.brand", ACCESS, (POST,))
    declined = demo.linking.decline(request.token, "new.brand")
    assert declined.status is RequestStatus.DECLINED
    assert link(demo, "new.brand").relation_status is RelationStatus.REJECTED
    assert last_event(demo) == "@new.brand declined Northwind Media's request"


def test_declining_a_claim_keeps_the_access_already_granted(demo: Services) -> None:
    request = demo.linking.request_authorization(as_user("ava"), "mira.makes", CLAIM)
    demo.linking.decline(request.token, "mira.makes")
    entry = link(demo, "mira.makes")
    assert (entry.relation_type, entry.relation_status) == (
        RelationType.OWNER_INDIVIDUAL,
        RelationStatus.BOUND,
    )


def test_only_one_business_center_can_claim_an_account(demo: Services) -> None:
    ours = demo.linking.request_authorization(as_user("ava"), "shared.brand", CLAIM)
    theirs = demo.linking.request_authorization(as_user("ava", LABS), "shared.brand", CLAIM)
    assert demo.linking.approve(ours.token, "shared.brand").status is RequestStatus.APPROVED
    failed = demo.linking.approve(theirs.token, "shared.brand")
    assert failed.status is RequestStatus.FAILED
    assert "already owned by another Business Center (Northwind Media)" in failed.reason
    assert link(demo, "shared.brand", LABS).relation_status is RelationStatus.PENDING
    with pytest.raises(Conflict, match=r"owned by another Business Center \(Northwind Media\)"):
        demo.linking.request_authorization(as_user("ava", LABS), "shared.brand", CLAIM)
    access = demo.linking.request_authorization(
        as_user("ava", LABS), "shared.brand", ACCESS, (POST,)
    )
    assert demo.linking.approve(access.token, "shared.brand").status is RequestStatus.APPROVED


def test_check_request_says_what_is_wrong_before_scopes_are_chosen(demo: Services) -> None:
    assert demo.linking.check_request(as_user("ava"), " @Fresh_Brand ", ACCESS) == "fresh_brand"
    with pytest.raises(Conflict):
        demo.linking.check_request(as_user("ava"), "northwind.coffee", ACCESS)
    with pytest.raises(PermissionDenied):
        demo.linking.check_request(as_user("diego"), "fresh_brand", ACCESS)


def _active_accounts(services: Services, bc_id: str) -> int:
    return services.repo.count(
        AssetLink,
        bc_id=bc_id,
        asset_type=AssetType.TT_ACCOUNT,
        relation_status=RelationStatus.BOUND,
    )


def test_a_center_at_tiktoks_account_limit_cannot_add_another(
    demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TikTok links a Business Center to at most 800 accounts; the limit is lowered to what
    Northwind Media has, so the demo is at it."""
    monkeypatch.setattr(linking, "MAX_ACCOUNTS_PER_CENTER", _active_accounts(demo, NORTHWIND))
    with pytest.raises(Conflict, match="the most TikTok allows: remove one"):
        demo.linking.request_authorization(
            as_user("ava"), "brand.new", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
        )


def test_a_request_approved_once_the_center_is_full_fails_and_says_why(
    demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = demo.linking.request_authorization(
        as_user("ava"), "brand.new", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    monkeypatch.setattr(linking, "MAX_ACCOUNTS_PER_CENTER", _active_accounts(demo, NORTHWIND))
    failed = demo.linking.approve(request.token, "brand.new")
    assert failed.status is RequestStatus.FAILED
    assert "the most TikTok allows" in failed.reason
    link = demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brand.new")
    assert link is not None and link.relation_status is not RelationStatus.BOUND


def test_an_account_at_its_center_limit_cannot_join_another(
    demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linking, "MAX_CENTERS_PER_ACCOUNT", 1)  # coffee: in Northwind Media
    with pytest.raises(Conflict, match="already linked to 1 Business Centers"):
        demo.linking.request_authorization(
            as_user("ava", LABS),
            "northwind.coffee",
            RequestKind.REQUEST_ACCESS,
            (TtAccountRole.POST,),
        )


def entry(demo: Services, handle: str) -> tuple[object, ...] | None:
    found = demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id=handle)
    if found is None:
        return None
    return (found.relation_status, found.relation_type, found.tt_account_roles)


def test_a_cancelled_request_leaves_the_accounts_entry_as_it_was(
    demo: Services, clock: FakeClock
) -> None:
    """A code closed with esc left a "Pending · stale" entry: a new account's, which x had
    to clear, and a rejected one's, whose Rejected was lost. Through a new code and a code
    that ran out and was asked again, the entry is put back as it was before the first."""
    ava = as_user("ava")
    request = demo.linking.request_authorization(ava, "new.brand", ACCESS, (POST,))
    demo.linking.cancel(ava, request.request_id)
    assert entry(demo, "new.brand") is None
    rejected = entry(demo, "vantage.gaming")
    assert rejected is not None and rejected[0] is RelationStatus.REJECTED
    first = demo.linking.request_authorization(ava, "vantage.gaming", CLAIM)
    clock.advance(DEFAULT_QR_TTL + 1)  # (ran out: the entry stays pending, stale)
    asked = demo.linking.request_authorization(ava, "vantage.gaming", ACCESS, (POST,))
    newer = demo.linking.regenerate(ava, asked.request_id)
    assert first.before_status is RelationStatus.REJECTED
    assert entry(demo, "vantage.gaming")[0] is RelationStatus.PENDING  # type: ignore[index]
    demo.linking.cancel(ava, newer.request_id)
    assert entry(demo, "vantage.gaming") == rejected
    claim = demo.linking.request_authorization(ava, "brightlane.studio", CLAIM)  # (active)
    demo.linking.cancel(ava, claim.request_id)
    assert entry(demo, "brightlane.studio")[0] is RelationStatus.BOUND  # type: ignore[index]
