"""A change made in another app (a second terminal, the phone, an SSH session) reaches the
dialog that is open and the screen under it, before anyone acts on what they showed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import NotFound
from bc_tui.domain.models import AssetRole, AssetType, Assignment, TransactionType, UserRole
from bc_tui.ids import SeededIds
from bc_tui.screens.account_detail import AccountDetail
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.screens.members import MembersScreen
from bc_tui.screens.transfer import TransferDialog
from bc_tui.services import Services
from bc_tui.store.database import Store
from bc_tui.widgets.table import VirtualTable
from tests.apps import demo_app, play
from tests.conftest import NORTHWIND, as_user

LENA = as_user("lena").user_id


def other_app(tmp_path: Path) -> Services:
    """A second process on the demo's file."""
    return Services(Store(tmp_path / "bc.json"), FakeClock(), SeededIds(99))


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
        members = app.screen.query_one("#account-members", OptionList)
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


async def test_the_list_under_a_member_dialog_shows_a_change_made_elsewhere(
    tmp_path: Path,
) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "enter")
        assert isinstance(app.screen, MemberDialog)
        under = app.screen_stack[-2]
        assert isinstance(under, MembersScreen)
        other_app(tmp_path).members.change_member_role(as_user("ava"), LENA, UserRole.ADMIN)
        await noticed(app, pilot)
        summary = str(under.query_one("#summary").render())
        assert summary.startswith("7 members · 3 admins")


async def test_a_member_removed_elsewhere_closes_their_dialog(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        table = app.screen.query_one("#members", VirtualTable)
        table.move_cursor(row=table.row_index(LENA))
        await pilot.press("enter")
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
