"""The characters bc-tui draws take the cells terminals give them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rich.cells import cell_len

ROOT = Path(__file__).resolve().parents[2]


def test_every_glyph_in_the_ui_is_as_wide_as_terminals_draw_it() -> None:
    """Textual lays a line out with Rich's cell widths; a terminal draws a character by its
    East Asian Width. Where they disagree the screen comes apart: Rich counts "☰" (the phone's
    Menu) as 2 cells and terminals draw 1, so every border after it on the line shifted, and
    beside the QR dialog stray "││" and "█" were left on screen."""
    sources = [*ROOT.glob("bc_tui/**/*.py"), *ROOT.glob("screens/*.py"), ROOT / "data/demo.json"]
    wrong = {
        f"{ch!r} U+{ord(ch):04X} in {path.relative_to(ROOT)}"
        for path in sources
        for ch in set(path.read_text(encoding="utf-8"))
        if ord(ch) > 127
        and ch.isprintable()
        and cell_len(ch) != (2 if unicodedata.east_asian_width(ch) in "WF" else 1)
    }
    assert sorted(wrong) == []
