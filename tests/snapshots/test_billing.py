"""Billing's sub-views and dialogs as SVG, at 120x36 and 80x24, over the frozen demo.

Priya is the Finance Manager (every change offered); Tom the Finance Analyst (view only).
When one changes, open the report pytest writes and look before `--snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apps import Typed, demo_app, keys
from tests.conftest import as_user

SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]

#: Keys from anywhere to each tab of the Billing screen.
TABS = {
    "overview": ("4",),
    "payment-methods": ("4", "right_square_bracket"),
    "ad-accounts": ("4", "right_square_bracket", "right_square_bracket"),
    "transactions": ("4", "left_square_bracket", "left_square_bracket"),
    "invoices": ("4", "left_square_bracket"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", list(TABS))
def test_tab(snap_compare, tmp_path: Path, size: tuple[int, int], tab: str) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    assert snap_compare(app, press=list(TABS[tab]), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_view_only_for_finance_analyst(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = demo_app(tmp_path, as_user("tom"))
    assert snap_compare(app, press=[*TABS["ad-accounts"]], terminal_size=size)


LAST = ("down", "down", "down")  # the last of the 4 ad accounts: Urban Peak
DIALOGS = {
    "add card, refused": keys(
        *TABS["payment-methods"],
        "a",
        Typed("4242 4242 4242 4241"),
        "tab",
        Typed("08/28"),
        "tab",
        Typed("123"),
        "tab",
        Typed("Priya Natarajan"),
        "enter",
    ),
    # Urban Peak moves to the shared portfolio first: until then the Mastercard pays for it.
    "remove card": keys(
        *TABS["ad-accounts"], *LAST, "o", "home", "enter", "left_square_bracket", "down", "x"
    ),
    "transfer with preview": keys(*TABS["ad-accounts"], *LAST, "t", Typed("1,000.50")),
    "portfolio": keys(*TABS["ad-accounts"], *LAST, "o"),
    "invoice": keys(*TABS["invoices"], "down", "enter"),
}


@pytest.mark.parametrize("size", SIZES)
def test_new_ad_account_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("1", "c", Typed("[bold]Tea[/bold] — EU"))  # shown literally, not as markup
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_dialog(snap_compare, tmp_path: Path, size: tuple[int, int], dialog: str) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    assert snap_compare(app, run_before=DIALOGS[dialog], terminal_size=size)
