"""What the terminal shows is the real QR code."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bc_tui import qr
from bc_tui.ids import SeededIds


def test_drawing_decodes_back_to_the_qrcode_matrix() -> None:
    modules = qr.matrix(qr.payload(SeededIds(1).new_token()))
    lines = qr.half_blocks(modules)
    decoded = qr.modules_from_half_blocks(lines)
    assert decoded[: len(modules)] == modules
    assert all(not dark for row in decoded[len(modules) :] for dark in row)


def test_code_has_a_quiet_zone_and_fits_80x24() -> None:
    modules = qr.matrix(qr.payload(SeededIds(2).new_token()))
    lines = qr.half_blocks(modules)
    size = len(modules)
    border = [row for row in modules[: qr.QUIET_ZONE] + modules[-qr.QUIET_ZONE :]]
    assert not any(any(row) for row in border)
    assert not any(row[0] or row[-1] for row in modules)
    assert size == 29 + 2 * qr.QUIET_ZONE  # version 3
    assert len(lines) <= 17 and all(len(line) == size for line in lines)


@given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", min_size=1))
def test_any_token_round_trips(token: str) -> None:
    modules = qr.matrix(qr.payload(token))
    assert qr.modules_from_half_blocks(qr.half_blocks(modules))[: len(modules)] == modules


def test_a_scan_or_a_typed_token_gives_the_token() -> None:
    assert qr.token_from(qr.payload("Ab3")) == "Ab3"
    assert qr.token_from("  Ab3 ") == "Ab3"


def test_time_left_reads_as_a_clock_past_an_hour() -> None:
    """A long `--qr-ttl` showed '1439:59'."""
    from bc_tui.domain.labels import mm_ss

    assert [mm_ss(s) for s in (0, 272, 3599, 3600, 86399)] == [
        "00:00",
        "04:32",
        "59:59",
        "1:00:00",
        "23:59:59",
    ]
