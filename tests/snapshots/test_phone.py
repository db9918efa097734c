"""Every page of the simulated phone, at 120x36 and 80x24, and the pane beside the admin."""

from __future__ import annotations

from pathlib import Path

import pytest

from bc_tui.domain.models import RequestKind, TtAccountRole
from tests.apps import Typed, demo_app, keys, phone_app
from tests.conftest import as_user

SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]
SCANNER = ["1", "1", "1", "1"]

PAGES = {
    "profile": [],
    "menu": ["1"],
    "settings": ["1", "1"],
    "qr_code": ["1", "1", "1"],
    "scanner": SCANNER,
    "authorize": [*SCANNER, "1"],
    "authorized": [*SCANNER, "1", "1"],
    "wrong_account": ["3", "2", *SCANNER, "1", "1"],
    "inbox": ["2"],
    "all_activity": ["2", "1"],
    "from_tiktok": ["2", "1", "1"],
    "switch_account": ["3"],
}
#: Pages about Business Centers that already use the account: shown as @mira.makes.
MIRA_PAGES = {
    "business_centers": ["1", "1", "2"],
    "bc_access": ["1", "1", "2", "1"],
    "confirm_remove": ["1", "1", "2", "1", "1"],
    "access_removed": ["1", "1", "2", "1", "1", "1"],
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", list(PAGES))
def test_phone_page(snap_compare, tmp_path: Path, size: tuple[int, int], page: str) -> None:
    app = phone_app(tmp_path)
    app.services.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    assert snap_compare(app, press=PAGES[page], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", list(MIRA_PAGES))
def test_phone_page_of_a_linked_account(
    snap_compare, tmp_path: Path, size: tuple[int, int], page: str
) -> None:
    app = phone_app(tmp_path)
    app.services.phone.log_in("mira.makes")
    assert snap_compare(app, press=MIRA_PAGES[page], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_phone_pane_beside_the_accounts(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(demo_app(tmp_path), press=["2", "p"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_phone_pane_scanning_the_qr_dialog(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    steps = keys("2", "a", Typed("solstice.skin"), "enter", "enter", "enter", "p", *SCANNER)
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)
