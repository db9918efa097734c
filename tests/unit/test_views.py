"""What each screen reads: the right rows for the right person."""

from __future__ import annotations

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.models import (
    ActivityType,
    AssetRole,
    AssetType,
    Member,
    MemberStatus,
    RelationStatus,
    RelationType,
    UserRole,
)
from bc_tui.ids import SeededIds
from bc_tui.services import Actor, Services
from bc_tui.services.seed import generate
from bc_tui.services.views import ACTIVITY_PAGE, AssetRow
from bc_tui.store import Store
from tests.conftest import LABS, as_user


def test_admin_sees_every_tiktok_account_in_every_state(demo: Services) -> None:
    rows = demo.views.tiktok_accounts(as_user("ava"))
    assert {row.relation_status for row in rows} == set(RelationStatus)
    assert {row.relation_type for row in rows} == set(RelationType)
    coffee = next(row for row in rows if row.handle == "northwind.coffee")
    assert coffee.scopes == ("Spark Ads", "LIVE ads")
    assert coffee.members == ("Diego Alvarez (Analyst)",)
    assert "labs.prototype" not in {row.handle for row in rows}


def test_rows_a_change_left_as_they_were_are_the_rows_shown_before(demo: Services) -> None:
    """After a change the list is built again, but a row equal to one shown before is that
    same object (the table measures only rows it has not seen: 10,000 rows took longer to
    measure again than to build); the row the change touched is new and says so."""
    ava = as_user("ava")
    before = {row.handle: row for row in demo.views.tiktok_accounts(ava)}
    coffee = before["northwind.coffee"]
    lena = as_user("lena").user_id
    demo.center.assign_member(
        ava, lena, AssetType.TT_ACCOUNT, "northwind.coffee", AssetRole.OPERATOR
    )
    after = {row.handle: row for row in demo.views.tiktok_accounts(ava)}
    assert after.keys() == before.keys()
    assert after["northwind.coffee"] is not coffee
    assert after["northwind.coffee"].members == ("Diego Alvarez (Analyst)", "Lena Park (Operator)")
    assert all(after[handle] is before[handle] for handle in before if handle != coffee.handle)


def test_assets_a_change_left_as_they_were_are_the_rows_shown_before(demo: Services) -> None:
    """The same for the Assets overview: one object per unchanged row across a change."""
    ava = as_user("ava")

    def rows() -> dict[tuple[AssetType, str], AssetRow]:
        overview = demo.views.assets_overview(ava)
        return {(r.asset_type, r.asset_id): r for g in overview.groups for r in g.rows}

    before = rows()
    lena = as_user("lena").user_id
    demo.center.assign_member(
        ava, lena, AssetType.TT_ACCOUNT, "northwind.coffee", AssetRole.OPERATOR
    )
    after = rows()
    changed = (AssetType.TT_ACCOUNT, "northwind.coffee")
    assert after.keys() == before.keys()
    assert after[changed] is not before[changed]
    assert after[changed].members == before[changed].members + 1
    assert all(after[key] is before[key] for key in before if key != changed)


def test_standard_member_sees_only_assigned_accounts(demo: Services) -> None:
    rows = demo.views.tiktok_accounts(as_user("lena"))
    assert [row.handle for row in rows] == ["brightlane.studio", "mira.makes"]
    overview = demo.views.assets_overview(as_user("lena"))
    assert overview.only_assigned
    assert overview.partners == ()


def test_filter_matches_handle_name_and_status(demo: Services) -> None:
    ava = as_user("ava")
    assert [r.handle for r in demo.views.tiktok_accounts(ava, "PEAK")] == ["urbanpeak.outdoors"]
    assert [r.handle for r in demo.views.tiktok_accounts(ava, "rejected")] == ["vantage.gaming"]
    assert demo.views.tiktok_accounts(ava, "zzz-nothing") == []


def test_assets_overview_counts_every_type(demo: Services) -> None:
    overview = demo.views.assets_overview(as_user("ava"))
    counts = {group.asset_type: len(group.rows) for group in overview.groups}
    assert counts == {
        AssetType.TT_ACCOUNT: 9,
        AssetType.ADVERTISER: 4,
        AssetType.PIXEL: 2,
        AssetType.CATALOG: 1,
        AssetType.AUDIENCE: 2,
    }
    assert [p.name for p in overview.partners] == ["Lumen Creative", "Lumen Creative"]


def test_members_list_admins_first_with_assignment_counts(demo: Services) -> None:
    rows = demo.views.members(as_user("lena"))
    assert [row.user_name for row in rows[:2]] == ["Ava Chen", "Marcus Reid"]
    lena = next(row for row in rows if row.user_name == "Lena Park")
    assert lena.assets == 4
    assert [r.user_name for r in demo.views.members(as_user("ava"), "finance")] == []
    assert [r.user_email for r in demo.views.members(as_user("ava"), "freelance")] == [
        "sam.okafor@freelance.io"
    ]


def test_activity_is_newest_first_and_admin_only(demo: Services) -> None:
    view = demo.views.activity(as_user("ava"))
    assert view.allowed and view.total == 16
    times = [row.time for row in view.rows]
    assert times == sorted(times, reverse=True)
    assert view.rows[0].operator == "Marcus Reid"
    assert not demo.views.activity(as_user("lena")).allowed


def test_activity_comes_in_pages_newest_first(services: Services, clock) -> None:
    from bc_tui.services.seed import generate

    seeded = generate(services.repo, clock, seed=3, accounts=5, members=3, events=1500)
    from bc_tui.services import Actor

    actor = Actor(seeded.user_id, seeded.bc_id)
    view = services.views.activity(actor)
    assert (view.total, view.page, view.pages) == (1500, 0, 3)
    assert len(view.rows) == ACTIVITY_PAGE
    assert view.rows[0].activity_log == "Generated event 1499"
    last = services.views.activity(actor, page=99)
    assert last.page == 2
    assert last.rows[-1].activity_log == "Generated event 0"


def test_header_names_center_user_and_role(demo: Services) -> None:
    header = demo.views.header(as_user("priya"))
    assert (header.bc_name, header.user_name, header.role) == (
        "Northwind Media",
        "Priya Natarajan",
        "Standard + Finance Manager",
    )
    assert demo.views.header(as_user("sam")).role == "Standard (invited)"


def test_business_centers_of_a_user_for_switching(demo: Services) -> None:
    names = [c.name for c, _ in demo.views.business_centers(as_user("ava").user_id)]
    assert names == ["Northwind Labs", "Northwind Media"]
    assert demo.views.tiktok_accounts(as_user("ava", LABS))[0].handle == "labs.prototype"


def test_default_actor_is_first_admin_of_largest_center(demo: Services) -> None:
    assert demo.views.default_actor() == as_user("ava")


def test_default_actor_of_many_members_is_the_first_admin_by_name(
    services: Services, clock: FakeClock
) -> None:
    """Read from fields, not objects: the same person a sort of the Member objects names,
    the first in file order among Admins of one name."""
    generate(services.repo, clock, seed=2, accounts=10, members=400, events=0)
    names = services.views.user_names()
    bound = [m for m in services.repo.all(Member) if m.relation_status is MemberStatus.BOUND]
    admins = sorted(
        (m for m in bound if m.user_role is UserRole.ADMIN), key=lambda m: names[m.user_id]
    )
    assert names[admins[0].user_id] == names[admins[1].user_id]  # the first name is two Admins'
    assert admins[0].user_id > admins[1].user_id  # (so not the smaller id either)
    assert services.views.default_actor() == Actor(admins[0].user_id, admins[0].bc_id)


def test_ago_reads_like_an_inbox() -> None:
    from bc_tui.domain.labels import ago

    assert [ago(s) for s in (0, 59, 60, 3599, 3600, 86_399, 86_400 * 3)] == [
        "just now",
        "just now",
        "1m ago",
        "59m ago",
        "1h ago",
        "23h ago",
        "3d ago",
    ]


def test_member_detail_names_only_the_assets_the_viewer_may_see(demo: Services) -> None:
    """A Standard member sees only the assets assigned to them, and saw every asset another
    member holds a role on named in that member's details; the others are counted."""
    demo.center.assign_member(
        as_user("ava"),
        as_user("diego").user_id,
        AssetType.TT_ACCOUNT,
        "brightlane.studio",
        AssetRole.ANALYST,
    )
    detail = demo.views.member_detail(as_user("lena"), as_user("diego").user_id)
    assert [a.name for a in detail.assignments] == ["@brightlane.studio"]
    assert detail.hidden == 3
    everything = demo.views.member_detail(as_user("ava"), as_user("diego").user_id)
    assert len(everything.assignments) == 4 and everything.hidden == 0


def test_member_detail_lists_every_assignment(demo: Services) -> None:
    detail = demo.views.member_detail(as_user("ava"), as_user("lena").user_id)
    assert detail.member.user_name == "Lena Park"
    assert [(a.name, a.role.value) for a in detail.assignments] == [
        ("Brightlane — Launch", "OPERATOR"),
        ("Mira Makes — LIVE", "ADMIN"),
        ("@brightlane.studio", "OPERATOR"),
        ("@mira.makes", "OPERATOR"),
    ]
    assert [m.user_name for m in demo.views.assignable_members(as_user("ava"))] == [
        "Diego Alvarez",
        "Lena Park",
        "Priya Natarajan",
        "Tom Becker",
        "sam.okafor",
    ]


def test_an_account_in_another_center_is_found_there(demo: Services) -> None:
    assert demo.views.found_elsewhere(as_user("ava"), "@labs") == [
        ("Northwind Labs", "labs.prototype")
    ]
    assert demo.views.found_elsewhere(as_user("diego"), "labs") == []  # not a Labs member
    assert demo.views.found_elsewhere(as_user("ava"), " ") == []


def test_looking_in_other_centers_keeps_the_rows_being_filtered(demo: Services) -> None:
    """Each keystroke of a filter that finds nothing also reads the user's other Business
    Centers; the rows it filters must stay built (they were built again on every key)."""
    ava = as_user("ava")
    rows = demo.views._tiktok_rows(ava)
    assert demo.views.tiktok_accounts(ava, "labs") == []
    assert demo.views.found_elsewhere(ava, "labs") == [("Northwind Labs", "labs.prototype")]
    assert demo.views._tiktok_rows(ava) is rows
    assert demo.views._tiktok_rows(as_user("ava", LABS)) is demo.views._tiktok_rows(
        as_user("ava", LABS)
    )


def test_activity_filters_by_type_too(demo: Services) -> None:
    rows = demo.views.activity(as_user("ava"), "billing").rows
    assert [row.activity_type.value for row in rows] == ["BILLING"] * 4  # (the demo's transfers)


def test_activity_pages_follow_a_new_event_and_the_filter(demo: Services) -> None:
    """The order is kept between pages of one revision; a change or a new filter redoes it."""
    ava = as_user("ava")
    before = demo.views.activity(ava)
    demo.members.resend_invitation(ava, as_user("sam").user_id)
    after = demo.views.activity(ava)
    assert after.total == before.total + 1
    assert "resent" in after.rows[0].activity_log
    assert after.rows[1:] == before.rows
    billing = demo.views.activity(ava, "billing")
    assert [row.activity_type.value for row in billing.rows] == ["BILLING"] * 4
    assert demo.views.activity(ava).rows == after.rows


def test_activity_order_kept_across_changes_is_the_one_worked_out_afresh(
    demo: Services, clock
) -> None:
    """After a change only the new events are read and put first; an event stamped earlier
    than ones before it (another process's clock) makes it sort everything again. Either
    way the pages are what a fresh process shows."""
    ava, sam = as_user("ava"), as_user("sam").user_id
    demo.views.activity(ava)
    clock.advance(60)
    demo.members.resend_invitation(ava, sam)
    kept = demo.views.activity(ava)
    assert "resent" in kept.rows[0].activity_log
    clock.advance(-3600 * 24 * 365)  # older than every event so far
    demo.members.resend_invitation(ava, sam)
    kept = demo.views.activity(ava)
    fresh = Services(Store(demo.store.path, readonly=True), clock, SeededIds(1))
    assert kept == fresh.views.activity(ava)
    assert "resent" in kept.rows[-1].activity_log  # the oldest
    assert kept.total == 18


def test_activity_events_of_the_same_time_show_the_last_written_first(demo: Services) -> None:
    """Events stamped with the same time (the clock's resolution, or a batch) keep the order
    they were written in, newest first: on a fresh read and after a change alike."""
    ava = as_user("ava")
    demo.views.activity(ava)
    with demo.repo.writing() as writer:
        for text in ("first", "second", "third"):
            demo.views.audit(writer, ava, ActivityType.USER, text)
    kept = [row.activity_log for row in demo.views.activity(ava).rows[:3]]
    fresh = Services(Store(demo.store.path, readonly=True), demo.clock, SeededIds(1))
    assert kept == [row.activity_log for row in fresh.views.activity(ava).rows[:3]]
    assert kept == ["third", "second", "first"]


def test_activity_filter_finds_what_decoding_every_event_finds(demo: Services) -> None:
    """The filter searches the log's raw lines before decoding: it must still find every
    event a search of the decoded events finds, whatever the case, non-ASCII folding
    (ß matches ss), characters a line stores escaped, or a match only in who did it."""
    ava = as_user("ava")
    with demo.repo.writing() as writer:
        for text in ["Straße renamed", 'a "quoted" name', "back\\slash", "MiXeD Case"]:
            demo.views.audit(writer, ava, ActivityType.USER, text)
    everything = demo.views.activity(ava).rows

    def by_hand(query: str) -> list[str]:
        needle = query.casefold()
        return [
            row.activity_log
            for row in everything
            if any(
                needle in field.casefold()
                for field in (row.activity_log, row.operator, row.activity_type.value)
            )
        ]

    for query in ["strasse", '"quoted"', "back\\", "mixed case", "marcus", "ASSET", "zzz"]:
        found = [row.activity_log for row in demo.views.activity(ava, query).rows]
        assert found == by_hand(query), query
    assert by_hand("strasse") == ["Straße renamed"] and by_hand("marcus")


def test_activity_read_inside_a_rolled_back_change_is_not_kept(demo: Services) -> None:
    """Events a transaction added are not there for good until it commits: an order worked
    out while they were pending is not reused after a rollback."""
    ava = as_user("ava")
    before = demo.views.activity(ava)
    with pytest.raises(RuntimeError), demo.repo.writing() as writer:
        demo.views.audit(writer, ava, ActivityType.USER, "never happened")
        assert demo.views.activity(ava).total == before.total + 1
        assert demo.views.activity(ava, "never").total == 1
        raise RuntimeError("the use case failed")
    with demo.repo.writing() as writer:  # as many events as the rolled-back view saw
        demo.views.audit(writer, as_user("ava", LABS), ActivityType.USER, "elsewhere")
    assert demo.views.activity(ava) == before  # not the other Business Center's event
    assert demo.views.activity(ava, "never").total == 0


def test_an_ended_link_says_what_it_was_not_what_it_is() -> None:
    """ "Access granted" and "Owned" stood beside "Ended" as if they went on."""
    from bc_tui.domain import labels
    from bc_tui.domain.models import RelationStatus, RelationType

    ended = RelationStatus.UNBOUND
    assert labels.relation(RelationType.OWNER_BC, ended) == "Ownership given up"
    assert labels.relation(RelationType.OWNER_INDIVIDUAL, ended) == "Access ended"
    assert labels.relation(RelationType.OWNER_BC, RelationStatus.BOUND) == "Owned"


def test_a_member_who_sees_only_their_assets_sees_no_partners(demo: Services) -> None:
    """Lena sees no Partners list, but Lumen Creative's name stood beside her accounts."""
    ava, lena = as_user("ava"), as_user("lena")
    for actor, expected in ((ava, ("Lumen Creative (Analyst)",)), (lena, ())):
        rows = {row.handle: row for row in demo.views.tiktok_accounts(actor)}
        assert rows["brightlane.studio"].partners == expected
    for actor, expected in ((ava, ("Lumen Creative",)), (lena, ())):
        overview = demo.views.assets_overview(actor)
        [accounts] = [g for g in overview.groups if g.asset_type is AssetType.TT_ACCOUNT]
        [row] = [row for row in accounts.rows if row.asset_id == "brightlane.studio"]
        assert row.partners == expected


def test_pickers_list_tiktok_accounts_by_the_handle_they_show(demo: Services) -> None:
    """Invite and Add partner name accounts by handle; listed by display name, @northwind
    .careers ("Careers at Northwind") came before @kitefolk.music."""
    ava = as_user("ava")
    for rows in (
        demo.views.assignable_assets(ava, AssetType.TT_ACCOUNT),
        demo.views.shareable_assets(ava, AssetType.TT_ACCOUNT),
    ):
        handles = [row.asset_id for row in rows]
        assert handles == sorted(handles) and "northwind.careers" in handles
