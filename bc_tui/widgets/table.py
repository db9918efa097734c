"""A row table that renders only the rows on screen, so 10,000 rows cost what 30 do.

Textual's DataTable stores and measures every cell it is given: filling it with 10,000
accounts takes seconds, and every filter keystroke refills it. `VirtualTable` holds the
caller's row objects as they are and a function that turns one row into its cells; it calls
that function only for the rows it paints (Textual's Line API: `render_line`). Column widths
come from the cells' plain texts, a column at a time (`distinct` measures each different text
once), and it remembers which rows it measured, so a new filter over them measures nothing.

It is a drop-in for the way the area screens used DataTable: a row cursor, zebra stripes, a
fixed header, columns as wide as their widest cell (over all rows, so columns do not jump
while scrolling), the same keys, and DataTable's CSS and the component classes it paints
with, so it looks the same.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from contextlib import suppress
from operator import attrgetter
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip

Row = TypeVar("Row")

#: What a row shows, one Text per column.
Cells = Sequence[Text]

#: The plain texts of each column's cells over some rows, a column at a time: what the columns'
#: widths come from. A text repeated in a column need appear only once.
ColumnTexts = Callable[[Sequence[Row]], Iterable[Iterable[str]]]

CELL_PADDING = 1  # cells on each side of a cell, as DataTable's default cell_padding
#: The fewest cells a column that gives way is cut to (or its label's width, if wider).
GIVE_WAY_FLOOR = 10
_HEADER = -1  # the row index of the header line


class VirtualTable(ScrollView, Generic[Row], can_focus=True):
    """A read-only table over a sequence of rows, with a whole-row cursor.

    `show(rows)` replaces the rows; `cells(row)` (given at construction) is called only for
    rows being painted. Column widths come from `texts(rows)`, each column's plain texts over
    the rows (cheaper than building cells for 10,000 rows, see `distinct`; by default the
    cells' own text, row by row). `key(row)` names a row (for `row_index` and `cursor_key`).

    Columns named in `give_way` (free text: names, who is assigned, what happened) are cut,
    with "…", so that every column fits the table's width if they can make it (at 120
    columns a long name had pushed Members off the screen). If they cannot, no column is cut
    to make room for others: the columns past the edge are scrolled to, as before, and one
    that gives way ends at the edge with "…" rather than mid-word. A column is cut to no
    fewer than GIVE_WAY_FLOOR cells.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "cursor_top", "Top", show=False),
        Binding("ctrl+end", "cursor_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]

    # Only those it paints with: each time a widget is styled, Textual styles one more node
    # per component class (DataTable has nine), and a table is styled four times on the way
    # to its first frame.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--header",
        "datatable--even-row",
        "datatable--odd-row",
        "datatable--cursor",
    }

    # DataTable's rules (Textual 8) for the parts painted here, so the theme styles both alike;
    # a body table fills its space. Not DataTable.DEFAULT_CSS itself: importing DataTable for
    # it was ~3 ms of start-up, and its rules for parts not painted here were parsed for none.
    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;

        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }

            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }

        &:dark {
            & > .datatable--even-row {
                background: $surface-darken-1 40%;
            }
        }

        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }

        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }

        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class CursorMoved(Message):
        """The cursor went to another row (by a key, a click or `move_cursor`; not when `show`
        puts other rows under it)."""

        def __init__(self, table: VirtualTable[object], index: int):
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> VirtualTable[object]:
            return self.table

    class PastTheTop(Message):
        """↑ on the first row: the screen may move on to what is above the table."""

        def __init__(self, table: VirtualTable[object]):
            super().__init__()
            self.table = table

        @property
        def control(self) -> VirtualTable[object]:
            return self.table

    class RowSelected(Message):
        """Enter (or a click) on the row under the cursor."""

        def __init__(self, table: VirtualTable[object], index: int, key: Hashable | None):
            super().__init__()
            self.table = table
            self.index = index
            self.key = key

        @property
        def control(self) -> VirtualTable[object]:
            return self.table

    def __init__(
        self,
        columns: Sequence[str],
        cells: Callable[[Row], Cells],
        *,
        key: Callable[[Row], Hashable] | None = None,
        texts: ColumnTexts[Row] | None = None,
        give_way: Sequence[str] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._give_way = frozenset(give_way)
        #: The columns (by index) that give way, and the fewest cells each is cut to.
        self._floors: dict[int, int] = {}
        self._cells = cells
        self._texts = texts or by_row(lambda row: [cell.plain for cell in cells(row)])
        self._key = key
        self._rows: Sequence[Row] = ()
        self._index: dict[Hashable, int] | None = None
        self._labels: list[Text] = []
        #: Content width of each column: it grows to fit every row shown since the columns
        #: were set and never shrinks (as DataTable's), so a filter does not make them jump.
        self._widths: list[int] = []
        #: id(row) -> row, for the rows measured since the columns were set (the row is kept so
        #: its id is not reused).
        self._measured: dict[int, Row] = {}
        self._most = 0  # the most rows shown at once (bounds the memo)
        self._cursor = 0
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(256)
        self._pass: _Pass | None = None
        self.set_columns(columns)

    # -- data ---------------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[str]) -> None:
        """Replace the column labels, in Rich markup without :emoji: codes (whose table is ~2
        ms to import at start-up); the rows are shown again with `show`."""
        self._labels = [Text.from_markup(label, emoji=False) for label in columns]
        self._widths = [_text_width(label.plain) for label in self._labels]
        self._floors = {
            index: max(GIVE_WAY_FLOOR, width)
            for index, (label, width) in enumerate(zip(self._labels, self._widths, strict=True))
            if label.plain in self._give_way
        }
        self._measured.clear()
        self._most = 0

    def show(self, rows: Sequence[Row]) -> None:
        """Show these rows (kept by reference: the caller must not change the sequence).

        The cursor stays on its row if it is still shown (found by key), else on the same
        line: it kept the line only, and a filter ended with the cursor on another account
        than the one the user had been looking at, for the next x or m to act on."""
        before = self._rows[self._cursor] if self._rows else None
        self._rows = rows
        self._index = None
        self._widths = self._measure(rows)
        self._cursor = self._clamp(self._cursor)
        if before is not None and rows and rows[self._cursor] is not before:
            self._cursor = self._where_now(before, self._cursor)
        self._lines.clear()
        self._size_to_rows()
        self.refresh()
        self.call_after_refresh(self._scroll_cursor_into_view)

    def on_resize(self) -> None:
        self._size_to_rows()  # (columns that give way fit the new width)

    def _size_to_rows(self) -> None:
        total = sum(width + 2 * CELL_PADDING for width in self._shown_widths())
        self.virtual_size = Size(total, len(self._rows) + 1)

    def _shown_widths(self) -> tuple[int, ...]:
        """The columns' widths as painted now: as measured, or with the columns that give way
        cut to fit the table's width (less a vertical scrollbar's, if the rows need one)."""
        width, height = self.size
        if len(self._rows) + 1 > height:
            width -= self.styles.scrollbar_size_vertical
        return fit_widths(self._widths, self._floors, width)

    def _where_now(self, row: Row, otherwise: int) -> int:
        """Where `row`, or the row with its key, is now; `otherwise` if it is not shown."""
        with suppress(ValueError):
            return self._rows.index(row)  # (the same object, as a filter shows it: C speed)
        if self._key is not None:
            with suppress(KeyError):
                return self.row_index(self._key(row))  # (made again by a change)
        return otherwise

    def refresh_cells(self) -> None:
        """Paint again: the cells of some rows changed without changing their width (a
        countdown)."""
        self._lines.clear()
        self.refresh()

    def remeasure(self, rows: Iterable[Row]) -> None:
        """Measure these rows again on the next `show`: their cells changed, the rows did not."""
        for row in rows:
            self._measured.pop(id(row), None)

    def _measure(self, rows: Sequence[Row]) -> list[int]:
        """Column widths grown to fit the rows not measured before (the others already fit:
        widths never shrink). Filtering a list measured once costs one set lookup a row."""
        widths = list(self._widths)
        memo = self._measured
        fresh = [row for row in rows if id(row) not in memo] if memo else rows
        self._most = max(self._most, len(rows))
        if len(memo) + len(fresh) > 2 * self._most + 1024:
            memo.clear()  # let go of rows no longer shown (replaced ones); widths are kept
            fresh = rows
        memo.update(zip(map(id, fresh), fresh, strict=True))  # (in C: ~0.5 ms, a loop ~1.5)
        if fresh:
            for column, texts in enumerate(self._texts(fresh)):
                if column < len(widths):
                    widths[column] = max(widths[column], _widest(texts))
        return widths

    @property
    def column_labels(self) -> list[str]:
        """The columns' labels as the header shows them (plain text)."""
        return [label.plain for label in self._labels]

    @property
    def column_widths(self) -> list[int]:
        """Each column's width as measured from the rows shown (before any gives way)."""
        return list(self._widths)

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row_at(self, index: int) -> Row:
        return self._rows[index]

    def cells_at(self, index: int) -> Cells:
        """The cells of the row at `index`, as they are painted."""
        return self._cells(self._rows[index])

    def row_index(self, key: Hashable) -> int:
        """Where the row named `key` is; KeyError if it is not shown."""
        if self._index is None:
            assert self._key is not None, "row_index needs a key function"
            self._index = {self._key(row): index for index, row in enumerate(self._rows)}
        return self._index[key]

    def cells_of(self, key: Hashable) -> Cells:
        return self.cells_at(self.row_index(key))

    # -- cursor -------------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> Hashable | None:
        """The key of the row under the cursor; None when there are no rows."""
        if not self._rows or self._key is None:
            return None
        return self._key(self._rows[self._cursor])

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self._rows) - 1))

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Put the cursor on row `row` (clamped to the rows there are)."""
        old, new = self._cursor, self._clamp(row)
        self._cursor = new
        if old != new:
            self._refresh_rows(old, new)
            self.post_message(self.CursorMoved(self, new))  # type: ignore[arg-type]
        if scroll:
            self._scroll_cursor_into_view()

    def _refresh_rows(self, *indexes: int) -> None:
        width = self.size.width
        for index in indexes:
            self.refresh(Region(0, index + 1 - int(self.scroll_y), width, 1))

    def _scroll_cursor_into_view(self) -> None:
        if not self._rows:
            return
        region = Region(int(self.scroll_x), self._cursor + 1, self.size.width, 1)
        self.scroll_to_region(region, animate=False, spacing=Spacing(1, 0, 0, 0), force=True)

    # -- actions (DataTable's, for a row cursor) ----------------------------------------------

    def action_cursor_up(self) -> None:
        if self._cursor <= 0:
            self.post_message(self.PastTheTop(self))
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_top(self) -> None:
        self.move_cursor(row=0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def _page_height(self) -> int:
        return self.scrollable_content_region.height - 1

    def action_page_down(self) -> None:
        height = self._page_height()
        self.scroll_relative(y=height, animate=False, force=True)
        self.move_cursor(row=self._cursor + height, scroll=False)

    def action_page_up(self) -> None:
        height = self._page_height()
        self.scroll_relative(y=-height, animate=False)
        self.move_cursor(row=self._cursor - height, scroll=False)

    def action_scroll_home(self) -> None:
        self.scroll_x = 0

    def action_scroll_end(self) -> None:
        self.scroll_x = self.max_scroll_x

    def action_select_cursor(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._cursor, self.cursor_key))  # type: ignore[arg-type]

    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if row is None or row < 0:
            return
        if row == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row)
        event.stop()

    # -- painting -----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles are looked up once per paint, not per line (each lookup walks the DOM).
        self._pass = _Pass(
            self._shown_widths(),
            self.get_pseudo_class_state(),
            self.rich_style,
            self.get_component_styles("datatable--header").rich_style,
            self.get_component_styles("datatable--even-row").rich_style,
            self.get_component_styles("datatable--odd-row").rich_style,
            self.get_component_rich_style("datatable--cursor"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        paint = self._pass
        assert paint is not None, "render_line runs inside render_lines"
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        index = _HEADER if y == 0 else y - 1 + scroll_y
        if index >= len(self._rows):
            return Strip.blank(width, paint.base)
        cursor = index == self._cursor
        cache_key = (index, cursor, scroll_x, width, paint)
        strip = self._lines.get(cache_key)
        if strip is None:
            segments = self._line(index, cursor, width, paint)
            total = sum(segment.cell_length for segment in segments)
            strip = (
                Strip(segments, total)
                .crop(scroll_x, scroll_x + width)
                .adjust_cell_length(width, paint.base)
                .simplify()
            )
            self._lines[cache_key] = strip
        return strip

    def _line(self, index: int, cursor: bool, width: int, paint: _Pass) -> list[Segment]:
        """One row (or the header) at full table width, styled as DataTable styles it: each
        cell padded by one space, under the row's style, the cursor's colours over the cell's
        own (DataTable's "css" cursor priority), and the row's style to the right edge."""
        if index == _HEADER:
            cells: Cells = self._labels
            row_style = paint.header
        else:
            cells = self._cells(self._rows[index])
            row_style = paint.odd if index % 2 else paint.even
        component = paint.cursor if cursor else _NO_STYLE
        post = Style.from_color(component.color) + Style.from_color(bgcolor=component.bgcolor)
        # The row's meta (which row a click hit) is the same for every cell: the styles are
        # built once a line, not once a cell (each Style sum costs ~3 µs).
        pre = row_style + Style.from_meta({"row": index}) + component
        edge = pre + post
        console = self.app.console
        segments: list[Segment] = []
        for cell, content_width in zip(cells, paint.widths, strict=False):
            segments += _cell_segments(console, cell, content_width, pre, edge, post)
        used = sum(width + 2 * CELL_PADDING for width in paint.widths)
        segments.append(Segment(" " * max(0, width - used), edge))
        return segments


class _Pass(NamedTuple):
    """The column widths and styles of one paint (they change with the width, focus, theme
    and hover)."""

    widths: tuple[int, ...]
    pseudo_state: object
    base: Style
    header: Style
    even: Style
    odd: Style
    cursor: Style


_NO_STYLE = Style()


def _cell_segments(
    console: Console, cell: Text, width: int, pre: Style, edge: Style, post: Style
) -> list[Segment]:
    """A cell as `Styled(Padding(cell, (0, 1)), pre, post)` renders it at `width` + 2, built
    directly for the usual one-line cell that fits (Rich's general path costs ~10x more).
    `edge` is `pre + post`, the style of the padding and of unstyled text. A cell justified
    right (an amount) is padded on its left."""
    text_width = cell.cell_len
    if text_width > width and "\n" not in cell.plain:  # (a column that gave way)
        cell = cell.copy()
        cell.truncate(width, overflow="ellipsis")
        text_width = cell.cell_len
    if text_width > width or "\n" in cell.plain:
        options = console.options.update_dimensions(width + 2 * CELL_PADDING, 1)
        lines = console.render_lines(
            Styled(Padding(cell, (0, CELL_PADDING)), pre_style=pre, post_style=post),
            options.update(no_wrap=True),
        )
        return lines[0]
    if cell.spans:
        parts = list(cell.render(console))  # includes the cell's own style
    else:
        parts = [Segment(cell.plain, console.get_style(cell.style) if cell.style else None)]
    room = width - text_width
    before = room if cell.justify == "right" else 0  # (amounts line up on the right)
    segments = [Segment(" " * (CELL_PADDING + before), edge)]
    segments += [
        Segment(text, edge if style is None else pre + style + post) for text, style, _ in parts
    ]
    segments.append(Segment(" " * (room - before + CELL_PADDING), edge))
    return segments


def fit_widths(widths: Sequence[int], floors: Mapping[int, int], room: int) -> tuple[int, ...]:
    """`widths` (cells of content; each column has CELL_PADDING on each side) as shown in
    `room` cells. If the columns in `floors` (index: the fewest cells it is cut to) can make
    every column fit, they give way: the widest first, down to one common width. If they
    cannot, no column is cut to make room for others: the columns that fit stay whole, and
    the next is cut to end at the edge if it gives way (and keeps its floor there); the rest
    are past the edge, scrolled to."""
    pad = 2 * CELL_PADDING
    excess = sum(widths) + pad * len(widths) - room
    give = {index: min(floor, widths[index]) for index, floor in floors.items()}
    if room <= 0 or excess <= 0:
        return tuple(widths)
    if sum(give.get(index, width) + pad for index, width in enumerate(widths)) > room:
        used = index = 0
        while used + widths[index] + pad <= room:  # (the columns that fit whole)
            used += widths[index] + pad
            index += 1
        left = room - used - pad  # (the cells the first column past the edge has before it)
        fitted = list(widths)
        if index in give and left >= give[index]:
            fitted[index] = left
        return tuple(fitted)

    def cut(cap: int) -> int:
        return sum(
            widths[index] - max(floor, min(widths[index], cap)) for index, floor in give.items()
        )

    cap = max(widths[index] for index in give)
    while cut(cap) < excess:
        cap -= 1
    spare = cut(cap) - excess  # (a cell or two given back to the first columns cut)
    fitted = list(widths)
    for index, floor in give.items():
        fitted[index] = max(floor, min(widths[index], cap))
        if spare and widths[index] > cap >= floor:
            fitted[index] += 1
            spare -= 1
    return tuple(fitted)


def by_row(texts: Callable[[Row], Sequence[str]]) -> ColumnTexts[Row]:
    """Column texts from a function giving one row's texts (a call per row)."""
    return lambda rows: zip(*map(texts, rows), strict=False)


def distinct(rows: Iterable[Any], text: Callable[..., str], *fields: str) -> list[str]:
    """One column's texts for `ColumnTexts`: `text(*values)` once per distinct combination of
    the rows' `fields`. A cell that shows a status, or who is assigned, repeats thousands of
    times over 10,000 rows; one pass in C over the rows and a call per distinct value measure
    the TikTok accounts list in ~8 ms, where a call per row took ~25."""
    values = set(map(attrgetter(*fields), rows))
    return list(map(text, values)) if len(fields) == 1 else [text(*key) for key in values]


def _widest(texts: Iterable[str]) -> int:
    """The widest of one column's cells (0 if none). Each distinct text is measured once (a
    status or a "—" repeats thousands of times), and a column of printable ASCII, one cell
    per character, by length without asking Rich about each character."""
    unique = set(texts)
    joined = "".join(unique)
    if joined.isascii() and joined.isprintable():
        return max(map(len, unique), default=0)
    return max(map(_text_width, unique))


def _text_width(text: str) -> int:
    """A cell's width as DataTable measures it: its longest line."""
    if "\n" in text:
        return max(map(cell_len, text.splitlines()))
    return cell_len(text)
