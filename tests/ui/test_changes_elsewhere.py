"""A change made in another app (a second terminal, the phone, an SSH session) reaches the
dialog that is open and the screen under it, before anyone acts on what they showed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList, Static

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import NotFound
from bc_tui.domain.models import (
    AssetRole,
    AssetType,
    Assignment,
    Member,
    RelationStatus,
    RequestKind,
    TransactionType,
    TtAccountRole,
    UserRole,
)
from bc_tui.ids import SeededIds
from bc_tui.screens.account_detail import AccountDetail
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.screens.members import MembersScreen
from bc_tui.screens.qr_dialog import QrDialog
from bc_tui.screens.transfer import TransferDialog
from bc_tui.services import Services
from bc_tui.store.database import Store
from bc_tui.widgets.table import VirtualTable
from tests.apps import demo_app, open_member, play, run_command
from tests.conftest import NORTHWIND, as_user

LENA = as_user("lena").user_id


def other_app(tmp_path: Path) -> Services:
    """A second process on the demo's file."""
    return Services(Store(tmp_path / "bc.json"), FakeClock(), SeededIds(99))


def member_role(app, user_id: str) -> UserRole:
    found = app.services.repo.first(Member, bc_id=NORTHWIND, user_id=user_id)
    return found.user_role


async def noticed(app, pilot) -> None:
    """The app's look at the file (its timer's, made at once) and what it set off."""
    app._watch_store()
    await pilot.pause()


async def test_account_details_drop_an_assignment_removed_elsewhere(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "enter")  # @brightlane.studio: Lena Park, Operator
        assert isinstance(app.screen, AccountDetail)
        other_app(tmp_path).center.unassign_member(
            as_user("marcus"), LENA, AssetType.TT_ACCOUNT, "brightlane.studio"
        )
        await noticed(app, pilot)
        members = app.screen.query_one("#asset-members", OptionList)
        assert str(members.get_option_at_index(0).prompt).startswith("No one is assigned yet")
        await pilot.press("r")  # nothing to change: no role given back
        assert app.services.repo.find(Assignment, asset_id="brightlane.studio") == []


def test_changing_a_role_that_was_removed_is_refused(demo: Services) -> None:
    """What the dialog's r asks for: a change, never a new assignment."""
    ava = as_user("ava")
    demo.center.unassign_member(ava, LENA, AssetType.TT_ACCOUNT, "brightlane.studio")
    with pytest.raises(NotFound, match=r"has no role on @brightlane\.studio"):
        demo.center.change_assignment_role(
            ava, LENA, AssetType.TT_ACCOUNT, "brightlane.studio", AssetRole.ANALYST
        )
    assert demo.repo.find(Assignment, bc_id=NORTHWIND, asset_id="brightlane.studio") == []


async def test_the_list_under_a_dialog_shows_a_change_made_meanwhile_once_on_top(
    tmp_path: Path,
) -> None:
    """Only the screen on top reloads at once: at 10,000 accounts the list under an open
    dialog reloading on every change (the dialog's own too) tripled its cost."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "enter")
        assert isinstance(app.screen, MemberDialog)
        under = app.screen_stack[-2]
        assert isinstance(under, MembersScreen)
        other_app(tmp_path).members.change_member_role(as_user("ava"), LENA, UserRole.ADMIN)
        await noticed(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is under
        summary = str(under.query_one("#summary").render())
        assert summary.startswith("7 members · 3 admins")


async def test_a_member_removed_elsewhere_closes_their_dialog(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "lena")
        assert isinstance(app.screen, MemberDialog)
        other_app(tmp_path).members.remove_member(as_user("ava"), LENA)
        await noticed(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        assert "Lena Park is not a member" in " ".join(str(n.message) for n in app._notifications)


async def test_transfer_shows_the_balances_as_they_are_now(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "4", "right_square_bracket", "right_square_bracket", "t")
        dialog = app.screen
        assert isinstance(dialog, TransferDialog)
        balances = dialog.query_one("#transfer-balances", Static)
        assert "Business Center holds 25,000.00 USD" in str(balances.render())
        other_app(tmp_path).billing.transfer(
            as_user("priya"),
            dialog.ad_account.advertiser_id,
            TransactionType.RECHARGE,
            "15000",
            "elsewhere-1",
        )
        await noticed(app, pilot)
        assert "Business Center holds 10,000.00 USD" in str(balances.render())


async def test_a_dialog_under_a_confirmation_waits_to_close_until_on_top(tmp_path: Path) -> None:
    """Dismissed from under the confirmation, Textual closed the confirmation instead, and
    the member's dialog could not be closed any more."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        table = app.screen.query_one("#members", VirtualTable)
        table.move_cursor(row=table.row_index(LENA))
        await pilot.press("enter", "x")
        assert isinstance(app.screen, ConfirmDialog)
        other_app(tmp_path).members.remove_member(as_user("ava"), LENA)
        await noticed(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)  # still there, as the user left it
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)  # her dialog closed, saying why
        assert LENA not in {table.row_at(i).user_id for i in range(table.row_count)}


async def test_a_code_approved_while_the_palette_is_open_closes_its_dialog_after(
    tmp_path: Path,
) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        request = app.services.linking.request_authorization(
            app.actor, "new.brand", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
        )
        app.push_screen(QrDialog(request))
        await pilot.pause()
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        other_app(tmp_path).linking.approve(request.token, "new.brand")
        await noticed(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QrDialog | CommandPalette)


async def test_a_refusal_after_reading_another_apps_change_shows_that_change(
    tmp_path: Path,
) -> None:
    """The use case re-read the file under its lock, then refused: nothing told the screens,
    and the next look at the file found nothing new. Ava, demoted elsewhere, kept seeing
    herself as Admin."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_member(pilot, "lena")
        other_app(tmp_path).members.change_member_role(
            as_user("marcus"), app.actor.user_id, UserRole.STANDARD
        )
        await pilot.press("r", "enter")  # (Make Admin?) refused: Ava is no Admin now
        await pilot.pause()
        assert app.sub_title == "Ava Chen · Standard"
        assert member_role(app, LENA) is UserRole.STANDARD


async def test_a_command_for_a_key_that_is_off_says_why_and_does_nothing(
    tmp_path: Path,
) -> None:
    """Sam is only invited: x is off for him, and its palette command removed him anyway."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        table = app.screen.query_one("#members", VirtualTable)
        table.move_cursor(row=table.row_index(as_user("sam").user_id))
        await pilot.press("enter")
        await run_command(pilot, "Remove member")
        assert isinstance(app.screen, MemberDialog)
        assert any("revoke the invitation" in str(n.message) for n in app._notifications)
        assert app.services.repo.first(Member, user_id=as_user("sam").user_id) is not None


async def test_account_details_list_members_assigned_again(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "enter")  # @brightlane.studio
        other = other_app(tmp_path)
        ava = as_user("ava")
        other.center.unassign_member(ava, LENA, AssetType.TT_ACCOUNT, "brightlane.studio")
        await noticed(app, pilot)
        other.center.assign_member(
            ava, LENA, AssetType.TT_ACCOUNT, "brightlane.studio", AssetRole.OPERATOR
        )
        await noticed(app, pilot)
        members = app.screen.query_one("#asset-members", OptionList)
        assert not members.disabled  # it could not be focused or moved through any more


async def test_account_details_show_a_link_ended_elsewhere(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "enter")  # @brightlane.studio, access granted
        dialog = app.screen
        assert isinstance(dialog, AccountDetail)
        assert dialog.row.relation_status is RelationStatus.BOUND
        other_app(tmp_path).center.remove_tiktok_account(as_user("ava"), "brightlane.studio")
        await noticed(app, pilot)
        assert dialog.row.relation_status is RelationStatus.UNBOUND  # its facts say Ended
        note = str(dialog.query_one("#asset-note", Static).render())
        assert note.startswith("This link has ended")
