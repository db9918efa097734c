"""The simulated TikTok app: its pages, and what tapping does."""

from __future__ import annotations

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import NotFound, ValidationError
from bc_tui.domain.models import (
    AssetLink,
    AssetType,
    Assignment,
    AuditEvent,
    Phone,
    RelationStatus,
    RequestKind,
    RequestStatus,
    TtAccountRole,
)
from bc_tui.services import Services
from bc_tui.services.phone_pages import Do, Item, Navigation, Page
from tests.conftest import NORTHWIND, as_user

PHONE = "7500000000000000001"


def labels_of(demo: Services, nav: Navigation, on_screen: str | None = None) -> list[str]:
    return [item.label for item in demo.phone.page(PHONE, nav.current, on_screen).items]


def tap(demo: Services, nav: Navigation, label: str, on_screen: str | None = None) -> None:
    page = demo.phone.page(PHONE, nav.current, on_screen)
    [item] = [item for item in page.items if item.label.startswith(label)]
    demo.phone.choose(PHONE, nav, item)


def walk_to_scanner(demo: Services, nav: Navigation) -> None:
    for label in ("≡ Menu", "Settings and privacy", "QR code", "Scanner"):
        tap(demo, nav, label)
    assert nav.current.page is Page.SCANNER


def result(demo: Services, nav: Navigation) -> str:
    assert nav.current.page is Page.RESULT
    return "\n".join(demo.phone.page(PHONE, nav.current).lines)


def test_profile_shows_the_active_account_and_the_others(demo: Services) -> None:
    page = demo.phone.page(PHONE, Navigation().current)
    assert page.title == "@solstice.skin"
    assert page.lines == ("Solstice Skincare", "Also logged in here: @jess.outdoors")
    assert [i.label for i in page.items] == ["≡ Menu", "Inbox (1)", "Switch account"]


def test_back_goes_one_step_up_and_stops_at_profile(demo: Services) -> None:
    nav = Navigation()
    walk_to_scanner(demo, nav)
    assert [p.page for p in nav.stack] == [
        Page.PROFILE,
        Page.MENU,
        Page.SETTINGS,
        Page.QR_CODE,
        Page.SCANNER,
    ]
    assert nav.back() and nav.current.page is Page.QR_CODE
    for _ in range(3):
        nav.back()
    assert nav.current.page is Page.PROFILE
    assert not nav.back()


def test_scan_the_code_on_screen_and_authorize(demo: Services) -> None:
    request = demo.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.REQUEST_ACCESS, (TtAccountRole.LIVE,)
    )
    nav = Navigation()
    walk_to_scanner(demo, nav)
    assert labels_of(demo, nav, request.token)[0] == "Scan the code on the admin's screen"
    tap(demo, nav, "Scan the code", request.token)
    page = demo.phone.page(PHONE, nav.current)
    assert page.title == "Authorize"
    assert "Business Center Northwind Media" in page.lines
    assert "• LIVE ads" in page.lines
    assert "You are logged in as @solstice.skin." in page.lines
    tap(demo, nav, "Authorize")
    assert result(demo, nav) == "Authorized. Northwind Media can now use @solstice.skin."
    nav.back()
    assert nav.current.page is Page.PROFILE


def test_in_another_process_the_scanner_lists_live_codes_and_takes_a_typed_one(
    demo: Services, clock: FakeClock
) -> None:
    request = demo.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.CLAIM_OWNERSHIP
    )
    clock.advance(48)
    nav = Navigation()
    walk_to_scanner(demo, nav)
    assert labels_of(demo, nav) == ["Northwind Media: @solstice.skin (04:12)"]
    page = demo.phone.page(PHONE, nav.current)
    assert page.takes_code
    demo.phone.scan(nav, f"  {request.token} ")
    lines = demo.phone.page(PHONE, nav.current).lines
    at = lines.index("Claim ownership: the Business Center will own this account,")
    assert list(lines[at + 1 : at + 4]) == [  # (what it gets: it asked for none, gets all)
        "and use it for ads and reports:",
        "• Spark Ads",
        "• LIVE ads",
    ]


def test_wrong_account_fails_with_the_reason(demo: Services) -> None:
    request = demo.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    nav = Navigation()
    tap(demo, nav, "Switch account")
    tap(demo, nav, "@jess.outdoors")
    assert demo.phone.device(PHONE).active == "jess.outdoors"
    assert nav.current.page is Page.PROFILE
    walk_to_scanner(demo, nav)
    demo.phone.scan(nav, request.token)
    assert "You are logged in as @jess.outdoors." in demo.phone.page(PHONE, nav.current).lines
    tap(demo, nav, "Authorize")
    assert result(demo, nav).startswith(
        "Authorization failed: the phone is logged in as @jess.outdoors, "
        "this request is for @solstice.skin"
    )
    assert demo.linking.request(request.request_id).status is RequestStatus.FAILED


def test_expired_code_asks_for_a_new_one(demo: Services, clock: FakeClock) -> None:
    request = demo.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    nav = Navigation()
    demo.phone.scan(nav, request.token)
    clock.advance(300)
    page = demo.phone.page(PHONE, nav.current)
    assert page.lines == ("This code has expired.", "Ask the Business Center for a new code.")
    assert page.items == ()
    nav2 = Navigation()
    nav2.open(Page.AUTHORIZE, request.token)
    demo.phone.choose(PHONE, nav2, Item("Authorize", Do.AUTHORIZE, arg=request.token))
    assert "ask for a new code" in result(demo, nav2)


def test_declining_a_claim_says_the_access_granted_before_stays(demo: Services) -> None:
    """The owner of an account the Business Center has access to declines its claim: the
    phone said the Business Center "cannot use" the account, but the access stays."""
    demo.phone.log_in("brightlane.studio", PHONE)
    claim = demo.linking.request_authorization(
        as_user("ava"), "brightlane.studio", RequestKind.CLAIM_OWNERSHIP
    )
    nav = Navigation()
    nav.open(Page.AUTHORIZE, claim.token)
    tap(demo, nav, "Decline")
    assert result(demo, nav) == (
        "Declined. Northwind Media does not own @brightlane.studio: the access you granted "
        "it stays."
    )
    link = demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
    assert link.relation_status is RelationStatus.BOUND


def test_inbox_path_after_notify_instead_and_decline(demo: Services) -> None:
    qr = demo.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    demo.linking.send_notification(as_user("ava"), qr.request_id)
    nav = Navigation()
    for label in ("Inbox", "All activity", "From TikTok"):
        tap(demo, nav, label)
    newest, older = labels_of(demo, nav)
    assert newest == (
        "Business Center Northwind Media requests access (Spark Ads) to your account "
        "@solstice.skin. · just now"
    )
    assert older.endswith("· 2m ago · replaced or cancelled")  # (only the newest is live)
    tap(demo, nav, newest)
    assert nav.current.page is Page.AUTHORIZE
    home = Navigation()
    assert "Inbox (1)" in labels_of(demo, home)  # (the one to answer: not every message)
    tap(demo, nav, "Decline")
    assert result(demo, nav) == "Declined. Northwind Media cannot use @solstice.skin."
    assert "Inbox" in labels_of(demo, home)  # (none left to answer)
    link = demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="solstice.skin")
    assert link.relation_status is RelationStatus.REJECTED


def test_remove_access_from_the_phone_ends_the_link_and_assignments(demo: Services) -> None:
    demo.phone.log_in("@brightlane.studio", PHONE)
    nav = Navigation()
    for label in ("≡ Menu", "Settings and privacy", "Business Centers"):
        tap(demo, nav, label)
    assert labels_of(demo, nav) == ["Northwind Media — Spark Ads"]
    tap(demo, nav, "Northwind Media")
    tap(demo, nav, "Remove access…")
    assert nav.current.page is Page.CONFIRM_REMOVE
    tap(demo, nav, "Remove access")
    assert result(demo, nav) == "Northwind Media can no longer use @brightlane.studio."
    link = demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
    assert link.relation_status is RelationStatus.UNBOUND
    assert demo.repo.find(Assignment, asset_id="brightlane.studio") == []
    events = sorted(demo.repo.find(AuditEvent, bc_id=NORTHWIND), key=lambda e: e.time)
    assert events[-1].activity_log == (
        "@brightlane.studio removed Northwind Media's access and removed 1 member assignment "
        "and its share with Lumen Creative"
    )
    assert events[-1].operator_id == "@brightlane.studio"


def test_a_claimed_account_cannot_be_removed_from_the_phone(demo: Services) -> None:
    demo.phone.log_in("northwind.coffee", PHONE)
    nav = Navigation()
    nav.open(Page.BC_ACCESS, NORTHWIND)
    page = demo.phone.page(PHONE, nav.current)
    assert "Ownership cannot be removed here." in page.lines
    assert page.items == ()
    demo.phone.choose(PHONE, nav, Item("Remove access", Do.REMOVE_ACCESS, arg=NORTHWIND))
    assert "cannot be removed from the phone" in result(demo, nav)
    link = demo.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="northwind.coffee")
    assert link.relation_status is RelationStatus.BOUND


def test_log_in_adds_and_activates_and_checks_the_handle(demo: Services) -> None:
    phone = demo.phone.log_in("@New.Brand", PHONE)
    assert phone.logged_in[-1] == "new.brand" and phone.active == "new.brand"
    with pytest.raises(ValidationError):
        demo.phone.log_in("not a handle", PHONE)
    with pytest.raises(NotFound):
        demo.phone.switch_account(PHONE, "nobody.here")


def test_log_in_on_an_empty_database_creates_the_phone(services: Services) -> None:
    phone = services.phone.log_in("first.account")
    assert services.repo.all(Phone) == [phone]
    assert phone.active == "first.account"


def test_unknown_or_used_codes_are_explained(demo: Services) -> None:
    nav = Navigation()
    demo.phone.scan(nav, "bc-tui://authorize?token=nope")
    assert demo.phone.page(PHONE, nav.current).lines[0] == "This is not a Business Center code."
    request = demo.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    demo.linking.approve(request.token, "solstice.skin")
    demo.phone.scan(nav, request.token)
    page = demo.phone.page(PHONE, nav.current)
    assert (page.title, page.lines[0]) == ("Used", "This code was already approved.")


def test_a_replaced_or_declined_code_says_so_not_used(demo: Services) -> None:
    """A code the Business Center replaced with a new one was not used by anyone: the
    phone said "already used" for every code it could no longer approve."""
    ava = as_user("ava")
    first = demo.linking.request_authorization(ava, "solstice.skin", RequestKind.CLAIM_OWNERSHIP)
    second = demo.linking.regenerate(ava, first.request_id)
    nav = Navigation()
    demo.phone.scan(nav, first.token)
    page = demo.phone.page(PHONE, nav.current)
    assert (page.title, page.lines[0]) == (
        "Cancelled",
        "This code was replaced or cancelled by the Business Center.",
    )
    demo.linking.decline(second.token, "solstice.skin")
    demo.phone.scan(nav, second.token)
    page = demo.phone.page(PHONE, nav.current)
    assert (page.title, page.lines[0]) == ("Declined", "This code was declined.")


def test_assets_of_other_types_are_not_listed_as_business_centers(demo: Services) -> None:
    nav = Navigation()
    nav.open(Page.BUSINESS_CENTERS)
    page = demo.phone.page(PHONE, nav.current)
    assert page.items == ()  # solstice.skin is only pending
    assert page.lines == ("No Business Center has access to @solstice.skin.",)
    assert AssetType.TT_ACCOUNT  # the links listed are TikTok-account links only
