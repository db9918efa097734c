"""Every screen and dialog as SVG, at 120x36 and 80x24, over the frozen demo.

When one changes, open the report pytest writes and look before `--snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bc_tui.widgets.countdown import QrCountdown
from tests.apps import Typed, demo_app, keys, play
from tests.conftest import as_user

SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"])
def test_area(snap_compare, tmp_path: Path, size: tuple[int, int], key: str) -> None:
    assert snap_compare(demo_app(tmp_path), press=[key], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_tiktok_accounts_as_standard_member(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = demo_app(tmp_path, as_user("lena"))
    assert snap_compare(app, press=["2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_filter_narrows_accounts(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("2", "slash", Typed("pending"))
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_keys_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), press=["2", "question_mark"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_account_detail(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), press=["2", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_revoke_confirmation(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    press = ["2", "down", "x"]
    assert snap_compare(demo_app(tmp_path), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_switch_user_picker(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), press=["u"], terminal_size=size)


# --- Add TikTok account ----------------------------------------------------------------------

ADD = ["2", "a", Typed("new.brand")]
TO_QR = [*ADD, "enter", "enter", "enter"]


@pytest.mark.parametrize("size", SIZES)
def test_add_account_two_options(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), run_before=keys(*ADD, "enter"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_add_account_bad_handle(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("2", "a", Typed("1234"), "enter", "enter")
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_scopes(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys(*ADD, "enter", "enter")
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


def _at(seconds: float):
    """Move the frozen clock on after the QR dialog opened, and let the countdown see it."""

    async def run_before(pilot) -> None:
        await play(pilot, *TO_QR)
        pilot.app.services.clock.advance(seconds)
        pilot.app.screen.query_one(QrCountdown).tick()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_qr_full_time(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), run_before=_at(0), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_qr_last_30_seconds(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), run_before=_at(276), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_qr_expired(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), run_before=_at(300), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_qr_notification_sent(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(tmp_path), run_before=keys(*TO_QR, "n"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_qr_failed_wrong_account(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await play(pilot, *TO_QR)
        app = pilot.app
        app.services.linking.approve(app.screen.request.token, "mira.makes")
        app.data_changed()
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_claim_confirmation(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys(*ADD, "enter", "right", "enter")
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


# --- Members and assignments -----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_member_detail(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("3", "down", "down", "down", "enter")  # Lena Park
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_invite_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("3", "i", Typed("new@agency.com, lena.park@northwind.media"))
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_assign_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("2", "down", "down", "down", "space", "space", "m", "space")
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_partner_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("1", "n", Typed("7299000000000000999"), "tab", Typed("Bright Agency"))
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_partners_on_assets(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("1", *["right"] * 5)
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_assign_ad_account_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("1", "right", "enter", "m")
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_ad_account_detail(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    steps = keys("1", "right", "enter", "enter")  # Brightlane — Launch and its members
    assert snap_compare(demo_app(tmp_path), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_security_settings_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def open_it(pilot) -> None:
        await pilot.press("3")
        pilot.app.action_security()
        await pilot.pause()
        field = pilot.app.screen.query_one("Input")
        field.cursor_blink = False  # a snapshot must not catch the cursor mid-blink
        field.insert_text_at_cursor("northwind.media, agency")
        await pilot.press("enter")  # refused in place: "agency" is not a domain
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), run_before=open_it, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_business_info_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def open_it(pilot) -> None:
        pilot.app.action_business_info()
        await pilot.pause()
        for field in pilot.app.screen.query("Input"):
            field.cursor_blink = False  # a snapshot must not catch the cursor mid-blink
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), run_before=open_it, terminal_size=size)
