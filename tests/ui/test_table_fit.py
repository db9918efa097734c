"""Free-text columns give way so that a table's columns end at its edge, cut with "…"."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region

from bc_tui.domain.models import RequestKind
from bc_tui.widgets.table import CELL_PADDING, GIVE_WAY_FLOOR, VirtualTable, fit_widths
from tests.apps import demo_app
from tests.conftest import as_user

PAD = 2 * CELL_PADDING


def _shown(widths: tuple[int, ...]) -> int:
    return sum(width + PAD for width in widths)


def test_a_table_that_fits_is_left_as_it_is() -> None:
    assert fit_widths([10, 20, 30], {2: 10}, 66) == (10, 20, 30)
    assert fit_widths([10, 20, 30], {2: 10}, 200) == (10, 20, 30)


def test_the_columns_that_give_way_make_it_fit_the_widest_first() -> None:
    # Name 20 and Members 40 give way: Members alone is cut while it is the wider...
    assert fit_widths([19, 13, 20, 40], {2: 10, 3: 10}, 90) == (19, 13, 20, 30)
    # ...then both, to one width; a spare cell goes to the first.
    assert fit_widths([19, 13, 20, 40], {2: 10, 3: 10}, 70) == (19, 13, 15, 15)
    assert fit_widths([19, 13, 20, 40], {2: 10, 3: 10}, 71) == (19, 13, 16, 15)
    for room in range(64, 100):  # to the cell, down to their floors
        fitted = fit_widths([19, 13, 20, 40], {2: 10, 3: 10}, room)
        assert _shown(fitted) == room and fitted[:2] == (19, 13)


def test_no_column_is_cut_below_its_floor_the_rest_go_past_the_edge() -> None:
    # Members cannot have its floor: it starts past the edge (scrolled to), Name still fits.
    widths = [19, 13, 17, 19, 20, 40]
    assert fit_widths(widths, {4: 10, 5: 10}, 99) == tuple(widths)
    # A wider status: then Name is cut to end at the edge, Members past it.
    widths[1] = 20
    fitted = fit_widths(widths, {4: 10, 5: 10}, 99)
    assert fitted[4] < 20 and _shown(fitted[:5]) == 99 and fitted[5] == 40
    # Too narrow even for Name's floor: nothing is cut, the table scrolls as it did.
    assert fit_widths(widths, {4: 10, 5: 10}, 80) == tuple(widths)
    # Where the table cannot fit, no column is cut to make room for the ones after it (an
    # ad account's name, to show its Grant at 80 columns).
    assert fit_widths([22, 9, 8, 13, 10, 7, 20], {0: 10}, 59) == (22, 9, 8, 13, 10, 7, 20)
    # A column narrower than the floor is not a column that can give way.
    assert fit_widths([30, 8, 40], {1: GIVE_WAY_FLOOR}, 60) == (30, 8, 40)


def _painted(table: VirtualTable[object]) -> list[str]:
    width, height = table.size
    return [strip.text for strip in table.render_lines(Region(0, 0, width, height))]


async def test_activity_ends_each_event_at_the_edge_with_an_ellipsis(tmp_path: Path) -> None:
    """At 120 columns most events' words ran off the screen, cut mid-word with nothing to
    say so, behind a sideways scroll; the event is whole below the table."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.query_one("#activity", VirtualTable)
        assert table.max_scroll_x == 0
        lines = _painted(table)
        cut = [line.rstrip() for line in lines[1:] if line.rstrip().endswith("…")]
        assert cut, lines
        whole = [table.row_at(index).activity_log for index in range(table.row_count)]
        for line in cut:
            start = line.index(" ASSET ") if " ASSET " in line else None
            if start is not None:
                shown = line[start + len(" ASSET ") :].strip()[:-1]
                assert any(event.endswith(shown) or shown in event for event in whole), shown


async def test_activitys_what_happened_leaves_out_who_did_it(tmp_path: Path) -> None:
    """ "Priya Natarajan recharged ..." beside Who: Priya Natarajan; at 80 columns the name
    was all the column had room for. The event is whole below the table."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.query_one("#activity", VirtualTable)
        first = table.row_at(0)
        assert first.activity_log.startswith(f"{first.operator} ")
        what = table.cells_at(0)[3].plain
        assert what == first.activity_log.removeprefix(f"{first.operator} ")
        assert str(app.screen.query_one("#event").render()) == first.activity_log


async def test_a_wider_status_cuts_the_name_to_end_at_the_edge(tmp_path: Path) -> None:
    """A claim's "Active · claim 04:59" widens Status: Name then ends at the edge with "…"
    (Members is past it, scrolled to), rather than being cut mid-word."""
    app = demo_app(tmp_path)
    app.services.linking.request_authorization(
        as_user("ava"), "brightlane.studio", RequestKind.CLAIM_OWNERSHIP
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#accounts", VirtualTable)
        lines = _painted(table)
        assert any("claim" in line for line in lines)
        assert any(line.rstrip().endswith("…") for line in lines[1:]), lines
        assert all(len(line) == table.size.width for line in lines)
        assert table.max_scroll_x > 0  # Members is still there, past the edge
