"""Members and assignments by keys: invite, details, roles, removal, Assign a new member."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Input, RadioSet

from bc_tui.domain.models import (
    AssetRole,
    AssetType,
    Assignment,
    FinanceRole,
    Member,
    MemberStatus,
    User,
    UserRole,
)
from bc_tui.screens.assign import AssignDialog
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.invite import InviteDialog
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.screens.members import MembersScreen
from bc_tui.widgets.filter_bar import FilterBar
from bc_tui.widgets.pick_list import PickList
from bc_tui.widgets.tab_bar import TabBar
from bc_tui.widgets.table import VirtualTable
from tests.apps import Typed, burst, demo_app, on_account, open_member, play, run_command
from tests.conftest import NORTHWIND, as_user


def member(app, name: str) -> Member:
    return app.services.repo.first(Member, bc_id=NORTHWIND, user_id=as_user(name).user_id)


async def test_invite_several_and_hear_who_was_skipped(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "3", "i", Typed("new@agency.com, lena.park@northwind.media"))
        assert isinstance(app.screen, InviteDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        user = app.services.repo.first(User, user_email="new@agency.com")
        assert app.services.repo.first(Member, user_id=user.user_id).relation_status is (
            MemberStatus.PENDING
        )
        [notice] = [n.message for n in app._notifications if "Invited" in n.message]
        assert "lena.park@northwind.media (already a member)" in notice


async def test_a_bad_address_is_explained_in_the_invite_dialog(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "3", "i", Typed("ok@agency.com nope"), "enter")
        assert isinstance(app.screen, InviteDialog)
        assert "'nope' is not an email address" in str(app.screen.query_one("#error").render())


async def test_member_details_change_roles_and_remove(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_member(pilot, "lena")
        assert len(dialog.detail.assignments) == 4
        await pilot.press("f", "home", "down", "enter")  # the finance roles: Finance Manager
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # (the money: asked first)
        title = str(app.screen.query_one(".dialog-title").render())
        assert title == "Make Lena Park a Finance Manager?"
        await pilot.press("enter")
        await pilot.pause()
        assert member(app, "lena").finance_role is FinanceRole.MANAGER
        await pilot.press("r")  # full control: asked first
        assert isinstance(app.screen, ConfirmDialog)
        assert "Make Lena Park an Admin?" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")
        assert member(app, "lena").user_role is UserRole.STANDARD
        await pilot.press("r", "enter")
        await pilot.pause()
        assert member(app, "lena").user_role is UserRole.ADMIN
        await pilot.press("r")  # another Admin made Standard: Ava can undo it, so not asked
        assert member(app, "lena").user_role is UserRole.STANDARD
        await pilot.press("x", "enter")
        await pilot.pause()
        assert member(app, "lena") is None
        assert (
            app.services.repo.find(Assignment, bc_id=NORTHWIND, user_id=as_user("lena").user_id)
            == []
        )
        assert isinstance(app.screen, MembersScreen)


async def test_an_admin_is_not_offered_removing_themselves(tmp_path: Path) -> None:
    """x asked "Remove Ava Chen?" of Ava herself, and then refused: another Admin must."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_member(pilot, "ava")
        assert dialog.check_action("remove", ()) is False
        await run_command(pilot, "Remove member")
        assert app.screen is dialog
        said = [str(n.message) for n in app._notifications]
        assert "You cannot remove yourself: ask another Admin to do it." in said
        assert member(app, "ava") is not None


async def test_giving_up_ones_own_admin_role_is_asked_first(tmp_path: Path) -> None:
    """One key made Ava Standard, and only another Admin could undo it: it asks now (and
    changing another Admin's role, which Ava can change back, still does not)."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "ava")
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        assert member(app, "ava").user_role is UserRole.ADMIN
        await pilot.press("r", "enter")
        await pilot.pause()
        assert member(app, "ava").user_role is UserRole.STANDARD


async def test_the_last_admin_is_refused_at_once_not_after_a_question(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    app.services.members.change_member_role(
        as_user("ava"), as_user("marcus").user_id, UserRole.STANDARD
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "ava")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MemberDialog)  # no question whose yes cannot be
        assert any("is the last Admin" in str(n.message) for n in app._notifications)
        assert member(app, "ava").user_role is UserRole.ADMIN


async def test_removing_a_member_says_what_they_lose(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "priya")  # no asset roles
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Priya Natarajan leaves Northwind Media. They can be invited again" in text
        assert "0 of their" not in text


async def test_a_member_is_not_told_to_assign_what_only_an_admin_can(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("diego"))
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_member(pilot, "priya")
        note = str(dialog.query_one("#member-assets").render())
        assert note == "No assets yet: joining assigns none, and an Admin assigns them."


async def test_pending_invitation_resend_and_accept(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "sam")
        await pilot.press("s")
        assert any("sent again" in n.message for n in app._notifications)
        await pilot.press("c")
        assert member(app, "sam").relation_status is MemberStatus.BOUND


async def test_standard_member_sees_details_but_no_actions(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("lena"))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "diego")
        # (Diego's assets are not Lena's: she is told how many, not which)
        said = app.screen.query_one("#member-assets").render()
        assert str(said) == "3 roles on assets not assigned to you"
        await pilot.press("r", "x")
        assert member(app, "diego").user_role is UserRole.STANDARD
        assert isinstance(app.screen, MemberDialog)


async def test_assign_a_new_member_to_selected_accounts(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_account(pilot, "mira.makes")
        await pilot.press("space", "space")  # @mira.makes and the next, @northwind.careers
        assert "2 selected" in str(app.screen.query_one("#summary").render())
        await pilot.press("m")
        assert isinstance(app.screen, AssignDialog)
        assert app.screen.handles == ["mira.makes", "northwind.careers"]
        people = app.screen.query_one("#people", PickList)
        assert app.focused is people  # the keys pick people at once
        # Lena holds a role on one of the two already: assigning would change it
        lena = people.row_at(people.row_index(as_user("lena").user_id))
        assert lena.label.endswith(" · a role on 1 of 2")
        await pilot.press(*["down"] * people.row_index(as_user("diego").user_id), "space")
        assert people.selected == [as_user("diego").user_id]
        await pilot.press("enter")
        await pilot.pause()
        roles = {
            a.asset_id: a.role
            for a in app.services.repo.find(
                Assignment, bc_id=NORTHWIND, user_id=as_user("diego").user_id
            )
        }
        assert roles["mira.makes"] is AssetRole.OPERATOR
        assert roles["northwind.careers"] is AssetRole.OPERATOR
        assert "selected" not in str(app.screen.query_one("#summary").render())
        said = [str(notice.message) for notice in app._notifications]  # (who, what, where)
        assert "2 roles given or changed: Operator for Diego Alvarez on 2 TikTok accounts." in said


async def test_assigning_a_pending_account_is_refused_in_the_dialog(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_account(pilot, "solstice.skin")
        await pilot.press("m")
        app.screen.query_one("#people", PickList).pick(as_user("diego").user_id)
        await pilot.press("enter")
        assert isinstance(app.screen, AssignDialog)
        assert "only active assets can be assigned" in str(app.screen.query_one("#error").render())


async def test_account_detail_changes_and_removes_a_members_role(tmp_path: Path) -> None:
    from bc_tui.screens.account_detail import AccountDetail

    app = demo_app(tmp_path)
    lena = as_user("lena").user_id

    def role_on_brightlane() -> AssetRole | None:
        found = app.services.repo.first(Assignment, user_id=lena, asset_id="brightlane.studio")
        return found.role if found else None

    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "enter")  # @brightlane.studio: Lena Park, Operator
        assert isinstance(app.screen, AccountDetail)
        await pilot.press("r")
        assert role_on_brightlane() is AssetRole.ANALYST
        await pilot.press("x", "enter")
        await pilot.pause()
        assert role_on_brightlane() is None
        assert isinstance(app.screen, AccountDetail)


async def test_add_and_remove_a_partner_from_the_assets_screen(tmp_path: Path) -> None:
    from bc_tui.domain.models import Partner
    from bc_tui.screens.assets import AssetsScreen
    from bc_tui.screens.partner import PartnerDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "n")
        assert isinstance(app.screen, PartnerDialog)
        await play(pilot, Typed("7299000000000000999"), "tab", Typed("Bright Agency"))
        app.screen.query_one("#partner-assets", PickList).pick("mira.makes")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AssetsScreen)
        added = app.services.repo.first(Partner, partner_bc_id="7299000000000000999")
        assert added.asset_ids == ("mira.makes",)
        app.screen.query_one("#groups", TabBar).active = "PARTNERS"
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        remaining = app.services.repo.find(Partner, bc_id=NORTHWIND)
        assert "7299412200570114050" not in {p.partner_bc_id for p in remaining}  # Lumen: first


async def test_moving_through_a_partners_asset_types_keeps_each_ones_picks(
    tmp_path: Path,
) -> None:
    """The arrows choose the asset type as they move, and each choice filled the list
    afresh: down then up to the same type lost what was picked there."""
    from bc_tui.screens.partner import PartnerDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "n")
        assert isinstance(app.screen, PartnerDialog)
        picks = app.screen.query_one("#partner-assets", PickList)
        picks.pick("mira.makes")
        app.screen.query_one("#partner-type").focus()
        await pilot.pause()
        await pilot.press("down")
        assert picks.selected == []  # ad accounts: none picked there
        await pilot.press("up")
        assert picks.selected == ["mira.makes"]


async def test_a_bad_partner_id_is_explained_in_the_dialog(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "1", "n", Typed("12ab"), "enter")
        assert "Business Center ID" in str(app.screen.query_one("#error").render())
        assert app.focused is app.screen.query_one("#partner-id")
        # Lumen Creative's ID under another name: the cursor goes to the name to fix it
        app.screen.query_one("#partner-id", Input).value = "7299412200570114050"
        await play(pilot, "tab", Typed("Lumen"))
        app.screen.query_one("#partner-assets", PickList).action_toggle()
        await pilot.press("enter")
        assert "already a partner, as Lumen Creative" in str(
            app.screen.query_one("#error").render()
        )
        assert app.focused is app.screen.query_one("#partner-name")


async def test_assign_a_member_to_an_ad_account_from_assets(tmp_path: Path) -> None:
    from bc_tui.domain.models import AssetType

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "right", "enter")  # Ad accounts, into the table
        await pilot.press("m")
        assert isinstance(app.screen, AssignDialog)
        assert app.screen.asset_type is AssetType.ADVERTISER
        app.screen.query_one("#people", PickList).pick(as_user("diego").user_id)
        await pilot.press("enter")
        await pilot.pause()
        held = app.services.repo.find(
            Assignment,
            bc_id=NORTHWIND,
            user_id=as_user("diego").user_id,
            asset_type=AssetType.ADVERTISER,
        )
        assert [(a.asset_id, a.role) for a in held] == [
            ("7214550918300000102", AssetRole.ANALYST)  # Brightlane — Launch, first by name
        ]
        said = [str(notice.message) for notice in app._notifications]
        assert "Diego Alvarez is now Analyst on Brightlane — Launch." in said
        await pilot.press("m")  # again: nothing to change, and it says so
        app.screen.query_one("#people", PickList).pick(as_user("diego").user_id)
        await pilot.press("enter")
        await pilot.pause()
        said = [str(notice.message) for notice in app._notifications]
        assert "Nothing changed: Diego Alvarez is Analyst there already." in said


async def test_a_pixel_is_assigned_from_assets_and_its_role_changed(tmp_path: Path) -> None:
    """m did nothing on pixels, catalogs and audiences (the key was off), though the demo
    has Diego as Analyst on a pixel and the services give roles on them."""
    from bc_tui.domain.models import AssetType

    app = demo_app(tmp_path)
    diego = as_user("diego").user_id
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "right", "right", "enter")  # Pixels, into the table
        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, AssignDialog) and dialog.asset_type is AssetType.PIXEL
        choices = [label.split(" — ")[0] for _, label in dialog.roles]
        assert choices == ["Admin", "Operator", "Analyst"]
        dialog.query_one("#people", PickList).pick(diego)
        await pilot.press("tab", "up")  # to the roles: from Analyst (the least power) to Operator
        await pilot.press("enter")
        await pilot.pause()
        held = app.services.repo.find(
            Assignment, bc_id=NORTHWIND, user_id=diego, asset_type=AssetType.PIXEL
        )
        assert {(a.asset_id, a.role) for a in held} >= {(dialog.handles[0], AssetRole.OPERATOR)}


async def test_assets_keep_their_place_across_a_change_and_a_new_list_starts_on_top(
    tmp_path: Path,
) -> None:
    """A change shows the list again with the cursor on the same asset (it used to jump to
    the top after every change, anyone's); another type's list starts at its top."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "right", "enter", "down", "down")  # Ad accounts, third row
        table = app.screen.query_one("#assets", VirtualTable)
        before = table.row_at(2)
        await pilot.press("m")
        app.screen.query_one("#people", PickList).pick(as_user("diego").user_id)
        await pilot.press("enter")
        await pilot.pause()
        assert table.cursor_row == 2
        assert table.row_at(2).asset_id == before.asset_id
        assert table.row_at(2).members == before.members + 1  # shown again, changed
        app.services.billing.create_ad_account(app.actor, "AAA first by name")
        app.data_changed()  # a row above the cursor: the cursor follows its asset down
        await pilot.pause()
        assert table.row_at(0).name == "AAA first by name"
        assert table.row_at(table.cursor_row).asset_id == before.asset_id
        await pilot.press("shift+tab", "right")  # the types: the next type
        assert app.focused is app.screen.query_one("#groups") and table.cursor_row == 0


@pytest.mark.parametrize(
    ("handle", "ownership", "note"),
    [
        ("brightlane.studio", "Access granted", "Access granted by the owner"),
        ("vantage.gaming", "Access request", "The owner declined. On TikTok accounts (2), a"),
        ("solstice.skin", "Access request", "Waiting for the owner to approve on their phone"),
        ("harbor.eats", "Access ended", "This link has ended"),
    ],
)
async def test_account_detail_says_what_the_link_is_now(
    tmp_path: Path, handle: str, ownership: str, note: str
) -> None:
    """A declined or pending request said "Access granted by the owner, who keeps the
    account", the opposite of its status."""
    from bc_tui.screens.account_detail import AccountDetail
    from bc_tui.widgets.table import VirtualTable

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        table = app.screen.query_one("#accounts", VirtualTable)
        table.move_cursor(row=table.row_index(handle))
        assert str(table.cells_of(handle)[2]) == ownership
        await pilot.press("enter")
        assert isinstance(app.screen, AccountDetail)
        assert note in str(app.screen.query_one(".dialog-note").render())


async def test_a_stale_entry_says_what_its_last_request_came_to(tmp_path: Path) -> None:
    """The list calls a pending entry whose code is gone "stale"; its details say why: the
    owner's phone was on the wrong account."""
    from bc_tui.domain.models import RequestKind, TtAccountRole
    from bc_tui.screens.account_detail import AccountDetail

    app = demo_app(tmp_path)
    request = app.services.linking.request_authorization(
        app.actor, "new.brand", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    app.services.linking.approve(request.token, "mira.makes")
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_account(pilot, "new.brand")
        assert str(table.cells_of("new.brand")[1]) == "Pending · stale"
        await pilot.press("enter")
        assert isinstance(app.screen, AccountDetail)
        facts = "\n".join(
            strip.text
            for strip in app.screen.query_one("#asset-facts").render_lines(Region(0, 0, 80, 8))
        )
        assert "Pending · stale" in facts  # (its Status said "Pending", as a live one's)
        assert str(app.screen.query_one(".dialog-note").render()) == (
            "The request behind this entry failed: the phone is logged in as @mira.makes, "
            "this request is for @new.brand. On TikTok accounts (2), a asks again and x clears "
            "the entry."
        )


async def test_an_expired_invitation_says_so_and_s_sends_it_again(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    app.services.clock.set(member(app, "sam").invite_expires_at)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        table = app.screen.query_one("#members", VirtualTable)
        assert str(table.cells_of(as_user("sam").user_id)[4]) == "Invite expired"
        dialog = await open_member(pilot, "sam")
        assert not dialog.check_action("accept", ())  # (c, the simulated accept, is off)
        await pilot.press("s")
        await pilot.pause()
        assert not member(app, "sam").invite_expired(app.services.clock.now())
        await pilot.press("escape")
        assert str(table.cells_of(as_user("sam").user_id)[4]) == "Invited"


async def test_assets_filter_narrows_the_list_and_keys_act_on_what_it_shows(
    tmp_path: Path,
) -> None:
    """DESIGN's `/` on Assets too. m then assigns the ad account under the cursor among
    those shown (it took the cursor's index in the unfiltered list: another account)."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "1", "right", "slash", Typed("urban"))
        table = app.screen.query_one("#assets", VirtualTable)
        assert [table.row_at(i).name for i in range(table.row_count)] == ["Urban Peak — Always on"]
        assert "1 of 4 match the filter: urban" in str(app.screen.query_one("#summary").render())
        groups = app.screen.query_one("#groups", TabBar)  # (each type says what matches)
        groups.active = "PARTNERS"  # one partner, two shares: "1 of 1", as its tab counts
        await pilot.pause()
        app.screen.query_one(FilterBar).value = "lumen"
        await pilot.pause()
        assert "1 of 1 match the filter" in str(app.screen.query_one("#summary").render())
        app.screen.query_one(FilterBar).value = "urban"
        groups.active = "ADVERTISER"
        await pilot.pause()
        labels = [groups.label(tab) for tab in ("ADVERTISER", "PIXEL", "PARTNERS")]
        assert labels == ["Ad accounts (1/4)", "Pixels (1/2)", "Partners (0/1)"]
        urban = table.row_at(0).asset_id
        await pilot.press("enter", "m")
        assert isinstance(app.screen, AssignDialog)
        assert app.screen.handles == [urban]
        await pilot.press("escape", "escape")  # the dialog, then the filter
        await pilot.pause()
        assert groups.label("ADVERTISER") == "Ad accounts (4)"


@pytest.mark.parametrize(
    ("group", "keys", "opens"),
    [
        ("TT_ACCOUNT", ("right", "m"), "AssignDialog"),  # TikTok accounts -> Ad accounts, m
        ("AUDIENCE", ("right", "x"), "ConfirmDialog"),  # Audiences -> Partners, then x
    ],
)
async def test_a_key_in_the_same_burst_as_a_group_change_acts_on_the_new_group(
    tmp_path: Path, group: str, keys: tuple[str, ...], opens: str
) -> None:
    """The table follows the types a message later: m assigned a TikTok account (of the
    type left) and x crashed the app on an audience's row."""
    from textual import events

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1")
        groups = app.screen.query_one("#groups", TabBar)
        groups.active = group
        groups.focus()
        await pilot.pause()
        for key in keys:  # handed on together, as a terminal's driver does
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        assert app.is_running
        assert type(app.screen).__name__ == opens
        if opens == "AssignDialog":
            assert app.screen.asset_type.value == "ADVERTISER"


async def test_assign_with_nobody_to_assign_says_what_to_do_first(tmp_path: Path) -> None:
    from bc_tui.app import BusinessCenterApp
    from bc_tui.clock import FakeClock
    from bc_tui.ids import SeededIds
    from bc_tui.services import Services
    from bc_tui.store import Store

    services = Services(Store(tmp_path / "new.json"), FakeClock(), SeededIds(3))
    services.center.create_business_center("me@acme.test", "Me", "Acme", "Acme Inc.", "USD", "UTC")
    app = BusinessCenterApp(services, services.views.default_actor(), watch_interval=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        app.push_screen(AssignDialog(["acme.brand"]))
        await pilot.pause()
        note = str(app.screen.query_one(".dialog-note").render())
        assert "Invite people on Members (3, then i)" in note


async def test_the_cursor_stays_with_a_member_whose_change_re_sorts_the_list(
    tmp_path: Path,
) -> None:
    """Admins come first: made Admin, Diego moves up. The cursor goes with him; left on his
    old row number it was on someone else, whom enter and x then removed."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "diego")
        await pilot.press("r", "enter")  # (Make Admin?)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert member(app, "diego").user_role is UserRole.ADMIN
        table = app.screen.query_one("#members", VirtualTable)
        assert table.cursor_key == as_user("diego").user_id


async def test_the_summary_counts_admins_who_joined_and_says_who_is_invited(
    tmp_path: Path,
) -> None:
    """An Admin still invited cannot act: counted as one, the summary said "2 admins" of a
    Business Center whose only Admin was then refused as the last."""
    app = demo_app(tmp_path)
    app.services.members.invite_members(as_user("ava"), ["new.admin@example.com"], UserRole.ADMIN)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        summary = str(app.screen.query_one("#summary").render())
        assert summary == "8 members · 2 admins · 2 invited"


async def test_an_invited_person_is_told_why_they_see_no_members_and_can_join(
    tmp_path: Path,
) -> None:
    """Told to accept the invitation, the invited person had no way to: only an Admin's
    member details could, for them. The palette has it while they are invited."""
    from tests.apps import run_command

    app = demo_app(tmp_path, as_user("sam"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        summary = str(app.screen.query_one("#summary").render())
        assert summary.startswith("You are invited to Northwind Media and have not joined yet")
        assert summary.endswith("(ctrl+p, Accept the invitation).")
        await run_command(pilot, "Accept the invitation")
        assert app.member is not None and app.member.relation_status is MemberStatus.BOUND
        summary = str(app.screen.query_one("#summary").render())
        assert summary.startswith("7 members")
        assert any("You joined Northwind Media" in n.message for n in app._notifications)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Accept the invitation" not in commands and "Keys" in commands


async def test_assets_types_are_tabs_reached_from_the_list_too(tmp_path: Path) -> None:
    """←→ on the types, enter or down into the list, ] and [ from the list (as on Billing);
    `?` says so."""
    from bc_tui.screens.help import HelpScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = [row for _, section in app.screen.sections for row in section]
        assert ("← →", "On the types: choose one") in rows
        assert {"]", "["} <= {key for key, _ in rows}
        await pilot.press("escape")
        groups = app.screen.query_one("#groups", TabBar)
        table = app.screen.query_one("#assets", VirtualTable)
        assert app.focused is groups and groups.active == "TT_ACCOUNT"
        await pilot.press("right", "down")
        assert app.focused is table and table.row_at(0).asset_type is AssetType.ADVERTISER
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.focused is table and groups.active == "PIXEL"
        assert table.row_at(0).asset_type is AssetType.PIXEL
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert groups.active == "TT_ACCOUNT" and table.row_at(0).asset_type is AssetType.TT_ACCOUNT
        await pilot.press("down", "up")  # the second row, the first
        assert app.focused is table and table.cursor_row == 0
        await pilot.press("up")  # past the top: the types
        assert app.focused is groups and table.cursor_row == 0


async def test_partners_tab_counts_partners_and_is_hidden_from_who_cannot_manage_them(
    tmp_path: Path,
) -> None:
    """Lumen Creative shares two asset types, so two rows, but it is one partner (the tab
    read "Partners (2)"). A Standard member, who cannot manage partners and is shown none,
    is not offered the tab; acting as an Admin again brings it back."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1")
        groups = app.screen.query_one("#groups", TabBar)
        assert "PARTNERS" in groups.shown and groups.label("PARTNERS") == "Partners (1)"
        groups.active = "PARTNERS"
        await pilot.pause()
        assert app.screen.query_one("#assets", VirtualTable).row_count == 2
        app.actor = as_user("lena")  # (as `u` does)
        app.data_changed()
        await pilot.pause()
        assert "PARTNERS" not in groups.shown and groups.active == "TT_ACCOUNT"
        table = app.screen.query_one("#assets", VirtualTable)
        assert table.column_labels[-1] == "Members"  # nor a Partners column of "—"s
        assert table.render_line(1).text.rstrip().endswith("Active  1")  # (its Members)
        app.actor = as_user("ava")
        app.data_changed()
        await pilot.pause()
        assert "PARTNERS" in groups.shown
        assert table.column_labels[-1] == "Partners"


async def test_security_settings_from_the_palette_limit_who_can_be_invited(
    tmp_path: Path,
) -> None:
    """An Admin sets the email domains from the palette; Members and the invite dialog say
    so, and an address elsewhere is not invited. A Standard member is told it is not theirs."""
    from bc_tui.screens.security import SecurityDialog
    from tests.apps import run_command

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await run_command(pilot, "Security settings")
        assert isinstance(app.screen, SecurityDialog)
        await play(pilot, Typed("northwind"), "enter")
        assert "'northwind' is not a domain" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#email-domains", Input).value = ""
        await play(pilot, Typed("northwind.media"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        summary = str(app.screen.query_one("#summary").render())
        assert "new members only at northwind.media" in summary
        await play(pilot, "i", Typed("x@gmail.com, new@northwind.media"))
        note = str(app.screen.query_one("#invite-domains").render())
        assert note == "Only addresses at northwind.media (Security settings)."
        await pilot.press("enter")
        await pilot.pause()
        assert app.services.repo.first(User, user_email="new@northwind.media") is not None
        assert app.services.repo.first(User, user_email="x@gmail.com") is None
        [notice] = [n.message for n in app._notifications if "Invited" in n.message]
        assert "x@gmail.com (Security settings allow only northwind.media)" in notice
        app.actor = as_user("lena")
        app.data_changed()
        await run_command(pilot, "Security settings")
        assert isinstance(app.screen, MembersScreen)
        assert any("change security settings" in n.message for n in app._notifications)


async def test_add_partner_starts_with_the_type_and_asset_on_show(tmp_path: Path) -> None:
    """n from the ad accounts' list opened on TikTok accounts with nothing picked."""
    from bc_tui.screens.partner import PartnerDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "right", "enter", "down")  # Ad accounts, the second one
        row = app.screen.query_one("#assets", VirtualTable)
        chosen = row.row_at(row.cursor_row)
        await pilot.press("n")
        assert isinstance(app.screen, PartnerDialog)
        assert app.screen.query_one("#partner-type", RadioSet).pressed_index == 1
        assert app.screen.query_one("#partner-assets", PickList).selected == [chosen.asset_id]
        await pilot.press("escape", "shift+tab", "left", "n")  # from the types: the type only
        assert isinstance(app.screen, PartnerDialog)
        assert app.screen.query_one("#partner-type", RadioSet).pressed_index == 0
        assert app.screen.query_one("#partner-assets", PickList).selected == []


async def test_sharing_more_with_a_partner_says_so(tmp_path: Path) -> None:
    """The second share with one Business Center said it "is now a partner": it was."""
    from bc_tui.screens.partner import PartnerDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        for tab in ("1", "right"):  # TikTok accounts, then ad accounts
            await play(pilot, tab, "n", Typed("7299000000000000999"), "tab", Typed("Bright"))
            assert isinstance(app.screen, PartnerDialog)
            app.screen.query_one("#partner-assets", PickList).action_toggle()
            await pilot.press("enter")
            await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said[-2:] == ["Bright is now a partner.", "Bright now has 1 ad account shared too."]
        # One more TikTok account: refused before (remove the partner, add it again)
        await play(pilot, "left", "n", Typed("7299000000000000999"), "tab", Typed("Bright"))
        picks = app.screen.query_one("#partner-assets", PickList)
        picks.move_cursor(row=1)
        picks.action_toggle()
        await pilot.press("enter")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said[-1] == "Bright now has 2 TikTok accounts shared (1 more)."


async def test_typing_after_a_refusal_brings_the_field_back_into_view(tmp_path: Path) -> None:
    """At 80x24 the invite dialog scrolls down to its refusal; the address field kept the
    focus, and what was typed next went into it out of sight."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, "3", "i", Typed("lena.park@northwind.media"), "enter")
        await pilot.pause()
        dialog = app.screen
        emails = dialog.query_one("#emails", Input)
        assert app.focused is emails and dialog.query_one("#error").display
        frame = dialog.query_one(".dialog")
        assert not frame.region.contains_region(emails.region)  # (scrolled to the refusal)
        await pilot.press("z")
        await pilot.pause()
        assert frame.region.contains_region(emails.region)
        emails.value = "lena.park@northwind.media"
        emails.action_end()
        burst(app, "enter", "y")  # refused again, with a key in the same read as enter
        for _ in range(20):  # (bounded: the y waits for the submit)
            await pilot.pause()
            if emails.value.endswith("y"):
                break
        for _ in range(3):  # (the scrolls come after the next refresh)
            await pilot.pause()
        assert emails.value.endswith("mediay") and frame.region.contains_region(emails.region)


async def test_picks_a_filter_hides_are_kept_and_counted(tmp_path: Path) -> None:
    """Filtering the list does not drop the accounts picked with space: the summary says how
    many it hides, m assigns them too, and they show again, ticked, when the filter ends."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_account(pilot, "solstice.skin")
        await pilot.press("space")  # pending: Assign would refuse it at the very end
        assert any("only active accounts can be picked" in n.message for n in app._notifications)
        for handle in ("mira.makes", "urbanpeak.outdoors"):  # (the longest handle)
            table.move_cursor(row=table.row_index(handle))
            await pilot.press("space")
        await pilot.press("slash", *"mira", "enter")
        summary = app.screen.query_one("#summary")
        assert "2 selected, 1 hidden by the filter" in str(summary.render())
        assert summary.size.height == 1  # (one line at 120 columns: the table keeps its rows)
        await play(pilot, "slash", Typed("zzz"))  # (nothing matches: the picks are still said)
        assert "2 selected, hidden by it (m assigns them)." in str(summary.render())
        await play(pilot, *["backspace"] * 3, "enter")
        await pilot.press("m")
        assert isinstance(app.screen, AssignDialog)
        assert app.screen.handles == ["mira.makes", "urbanpeak.outdoors"]
        await pilot.press("escape", "escape")  # the dialog, then the filter
        await pilot.pause()
        assert table.row_count > 1
        assert "2 selected (m assigns" in str(summary.render())
        row = table.row_index("urbanpeak.outdoors")
        assert table.cells_at(row)[0].plain == "✓ @urbanpeak.outdoors"
        line = table.render_line(row + 1 - int(table.scroll_y)).text  # (+1: the header)
        assert "✓ @urbanpeak.outdoors " in line  # the column fits its tick
        await pilot.press("escape")  # (no filter now: escape lets go of the picks)
        assert "selected" not in str(summary.render())
        assert table.cells_at(row)[0].plain == "@urbanpeak.outdoors"


async def test_revoking_an_invitation_names_who_it_was_for(tmp_path: Path) -> None:
    """ "Revoke the invitation?" did not say whose, and "Invitation revoked." not which."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "sam")
        await pilot.press("v")
        assert isinstance(app.screen, ConfirmDialog)
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Revoke sam.okafor's invitation?" in shown
        assert "sent to sam.okafor@freelance.io stops working" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert any(
            n.message == "Invitation to sam.okafor@freelance.io revoked."
            for n in app._notifications
        )


async def test_a_role_on_an_ad_account_is_changed_and_taken_back_from_its_details(
    tmp_path: Path,
) -> None:
    """On any asset but a TikTok account no key could take a role back, and enter on the
    Assets list did nothing. Enter shows the asset and its members: r gives the next role,
    x removes one (after asking)."""
    from bc_tui.screens.asset_detail import AssetDetail

    app = demo_app(tmp_path)
    lena = as_user("lena").user_id
    launch = "7214550918300000102"  # Brightlane — Launch: Lena is its Operator

    def role() -> AssetRole | None:
        found = app.services.repo.first(
            Assignment,
            bc_id=NORTHWIND,
            user_id=lena,
            asset_type=AssetType.ADVERTISER,
            asset_id=launch,
        )
        return found.role if found else None

    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1")
        app.screen.query_one("#groups", TabBar).active = "ADVERTISER"
        await pilot.press("enter")  # into the list
        table = app.screen.query_one("#assets", VirtualTable)
        table.move_cursor(row=table.row_index(("ADVERTISER", launch)))
        await pilot.press("enter")
        assert isinstance(app.screen, AssetDetail)
        members = [str(o.prompt) for o in app.screen.query_one("#asset-members").options]
        assert members == ["Lena Park — Operator"]
        await pilot.press("r")
        assert role() is AssetRole.ANALYST
        await pilot.press("r")  # (round again: Admin, Operator, Analyst) full control: asked
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        assert role() is AssetRole.ANALYST
        await pilot.press("r", "enter")
        await pilot.pause()
        assert role() is AssetRole.ADMIN
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert role() is None
        assert isinstance(app.screen, AssetDetail)
        members = [str(o.prompt) for o in app.screen.query_one("#asset-members").options]
        assert members == ["No one is assigned yet (m on the list assigns)."]
        assert app.screen.check_action("unassign", ()) is False


async def test_taking_a_role_away_in_an_assets_details_says_so(tmp_path: Path) -> None:
    """A change of role said what it did; taking the role away said nothing."""
    from bc_tui.screens.account_detail import AccountDetail

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_account(pilot, "brightlane.studio")
        await pilot.press("enter")
        assert isinstance(app.screen, AccountDetail)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountDetail)
        said = [str(notice.message) for notice in app._notifications]
        assert "Lena Park no longer has a role on @brightlane.studio." in said


async def test_add_partner_offers_only_the_roles_of_the_type_chosen(tmp_path: Path) -> None:
    """ "Admin — ad accounts only" was offered for TikTok accounts too, and refused once
    sent. It is off for them; chosen on ad accounts, going back to TikTok accounts chooses
    Analyst again."""
    from textual.widgets import RadioButton

    from bc_tui.screens.partner import PartnerDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "n")
        dialog = app.screen
        assert isinstance(dialog, PartnerDialog)
        types = dialog.query_one("#partner-type", RadioSet)
        roles = dialog.query_one("#partner-role", RadioSet)
        admin = list(roles.query(RadioButton))[-1]
        assert types.pressed_index == 0 and admin.disabled

        async def until(done: Callable[[], bool]) -> bool:  # (after a refresh; at most 2 s)
            for _ in range(40):
                if done():
                    return True
                await pilot.pause(0.05)
            return done()

        list(types.query(RadioButton))[1].value = True  # ad accounts
        assert await until(lambda: not admin.disabled)
        admin.value = True
        await pilot.pause()
        next(iter(types.query(RadioButton))).value = True  # TikTok accounts again
        assert await until(lambda: admin.disabled and roles.pressed_index == 0)
