"""The big lists measure their columns from the texts their cells show."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from bc_tui.domain.models import RequestKind
from bc_tui.screens import assets
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from tests.apps import demo_app, demo_services
from tests.conftest import as_user


async def test_columns_are_measured_from_the_texts_the_cells_show(tmp_path: Path) -> None:
    """The table measures this list a column at a time, each distinct text once
    (`_column_texts`, ~8 ms at 10,000 accounts against ~25 a row at a time). What it measures
    must be what the cells show, in every state a cell has: a picked account's ✓, a live
    request's countdown, a claim on an account already linked, members and partners."""
    app = demo_app(tmp_path)
    ava = as_user("ava")
    app.services.linking.request_authorization(ava, "solstice.skin", RequestKind.CLAIM_OWNERSHIP)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "space")  # pick the first account
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TikTokAccountsScreen)
        table = screen._table
        rows = [table.row_at(index) for index in range(table.row_count)]
        by_row = [set(column) for column in zip(*map(screen._texts, rows), strict=True)]
        by_column = [set(column) for column in screen._column_texts(rows)]
        assert by_column[1:] == by_row[1:]
        # Handles: only those that can be the widest (the longest, the picked), as shown.
        assert by_column[0] <= by_row[0]
        assert max(map(cell_len, by_column[0])) == max(map(cell_len, by_row[0]))
        assert "✓ @brightlane.studio" in by_column[0]  # (picked, and not the longest)
        handles, statuses, _, _, _, members = by_row
        assert any(handle.startswith("✓ @") for handle in handles)
        assert "Pending 05:00" in statuses
        assert any(", partner " in text or text.startswith("partner ") for text in members)


def test_assets_columns_are_measured_from_the_texts_the_cells_show(tmp_path: Path) -> None:
    """As above, for Assets: every group of the demo's (TikTok accounts with their @, ad
    accounts, ...; partners are measured row by row), with a pending claim in it."""
    services = demo_services(tmp_path)
    ava = as_user("ava")
    services.linking.request_authorization(ava, "solstice.skin", RequestKind.CLAIM_OWNERSHIP)
    overview = services.views.assets_overview(ava)
    groups = [group.rows for group in overview.groups if group.rows] + [overview.partners]
    assert len(groups) >= 3 and all(groups)
    for rows in groups:
        by_row = [set(column) for column in zip(*map(assets._texts, rows), strict=True)]
        by_column = [set(column) for column in assets._column_texts(rows)]
        assert by_column == by_row


def test_members_columns_are_measured_from_the_texts_the_cells_show(tmp_path: Path) -> None:
    """As above, for Members: roles, finance roles, and each state of a membership (active,
    invited, invitation expired)."""
    from bc_tui.domain.models import INVITE_TTL, UserRole
    from bc_tui.screens import members

    services = demo_services(tmp_path)
    ava = as_user("ava")
    services.clock.advance(INVITE_TTL.total_seconds() + 60)  # the demo's invitation expires
    services.members.invite_members(ava, ["zoe@agency.com"], UserRole.STANDARD)
    rows = services.views.members(ava)
    by_row = [
        {cell.plain for cell in column} for column in zip(*map(members._cells, rows), strict=True)
    ]
    assert {"Active", "Invited", "Invite expired"} <= by_row[4]
    assert by_row == [set(column) for column in members._column_texts(rows)]


def test_a_linked_ad_account_shows_its_own_status(tmp_path: Path) -> None:
    """Assets said "Active" (the link) for an ad account Billing showed "In review"."""
    from bc_tui.domain.models import AssetType

    services = demo_services(tmp_path)
    overview = services.views.assets_overview(as_user("ava"))
    [ads] = [group.rows for group in overview.groups if group.asset_type is AssetType.ADVERTISER]
    status = {row.name: assets._texts(row)[3] for row in ads}
    assert status["Mira Makes — LIVE"] == "In review"
    assert status["Northwind Coffee — US"] == "Active"


async def test_a_handle_of_wide_characters_is_measured_by_its_cells(tmp_path: Path) -> None:
    """The Handle column measures only its longest handles, by length: a handle of
    characters two cells wide (not TikTok's, but a file could hold one) is measured by its
    cells instead, or the column would cut it."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, TikTokAccountsScreen)
        row = screen._table.row_at(0)
        rows = [row._replace(handle="十二十二十二十二十二"), row._replace(handle="a" * 15)]
        assert "@十二十二十二十二十二" in screen._handle_texts(rows)
