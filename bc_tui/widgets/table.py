"""A row table that renders only the rows on screen, so 10,000 rows cost what 30 do.

Textual's DataTable stores and measures every cell it is given: filling it with 10,000
accounts takes seconds, and every filter keystroke refills it. `VirtualTable` holds the
caller's row objects as they are and a function that turns one row into its cells; it calls
that function only for the rows it paints (Textual's Line API: `render_line`), and for column
widths, which it remembers per row so a new filter over the same rows measures nothing.

It is a drop-in for the way the area screens used DataTable: a row cursor, zebra stripes, a
fixed header, columns as wide as their widest cell (over all rows, so columns do not jump
while scrolling), the same keys and the same component classes and CSS, so it looks the same.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.cells import cell_len
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
from textual.widgets import DataTable

Row = TypeVar("Row")

#: What a row shows, one Text per column.
Cells = Sequence[Text]

_PADDING = 1  # cells on each side of a cell, as DataTable's default cell_padding
_HEADER = -1  # the row index of the header line


class VirtualTable(ScrollView, Generic[Row], can_focus=True):
    """A read-only table over a sequence of rows, with a whole-row cursor.

    `show(rows)` replaces the rows; `cells(row)` (given at construction) is called only for
    rows being painted or measured. `key(row)` names a row (for `row_index`, `cursor_key` and
    the width memo); without it rows are measured afresh on every `show`.
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

    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES

    # DataTable's own CSS, so the theme styles both alike; a body table fills its space.
    DEFAULT_CSS = DataTable.DEFAULT_CSS.replace("DataTable {", "VirtualTable {", 1).replace(
        "height: auto;\n        max-height: 100%;", "height: 1fr;", 1
    )

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
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._cells = cells
        self._key = key
        self._rows: Sequence[Row] = ()
        self._index: dict[Hashable, int] | None = None
        self._labels: list[Text] = []
        #: Content width of each column: it grows to fit every row shown since the columns
        #: were set and never shrinks (as DataTable's), so a filter does not make them jump.
        self._widths: list[int] = []
        #: key -> (the row object measured, its cell widths): reused while the row is the same.
        self._measured: dict[Hashable, tuple[Row, tuple[int, ...]]] = {}
        self._cursor = 0
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(256)
        self._pseudo_state: object = None
        self.set_columns(columns)

    # -- data ---------------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[str]) -> None:
        """Replace the column labels (the rows are shown again with `show`)."""
        self._labels = [Text.from_markup(label) for label in columns]
        self._widths = [_cell_width(label) for label in self._labels]
        self._measured.clear()

    def show(self, rows: Sequence[Row]) -> None:
        """Show these rows (kept by reference: the caller must not change the sequence)."""
        self._rows = rows
        self._index = None
        self._widths = self._measure(rows)
        self._cursor = self._clamp(self._cursor)
        self._lines.clear()
        total = sum(width + 2 * _PADDING for width in self._widths)
        self.virtual_size = Size(total, len(rows) + 1)
        self.refresh()
        self.call_after_refresh(self._scroll_cursor_into_view)

    def refresh_cells(self) -> None:
        """Paint again: the cells of some rows changed without changing their width (a
        countdown)."""
        self._lines.clear()
        self.refresh()

    def remeasure(self, keys: Sequence[Hashable]) -> None:
        """Forget the widths of these rows: their cells changed though the rows did not."""
        for key in keys:
            self._measured.pop(key, None)

    def _measure(self, rows: Sequence[Row]) -> list[int]:
        widths = list(self._widths)
        if not rows:
            return widths
        memo, key_of, cells_of = self._measured, self._key, self._cells
        measured: list[tuple[int, ...]] = []
        for row in rows:
            key = None if key_of is None else key_of(row)
            known = None if key is None else memo.get(key)
            if known is not None and known[0] is row:
                measured.append(known[1])
                continue
            row_widths = tuple(_cell_width(cell) for cell in cells_of(row))
            if key is not None:
                memo[key] = (row, row_widths)
            measured.append(row_widths)
        for column, width in enumerate(map(max, zip(*measured, strict=False))):
            if column < len(widths):
                widths[column] = max(widths[column], width)
        return widths

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
        self._pseudo_state = self.get_pseudo_class_state()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        index = _HEADER if y == 0 else y - 1 + scroll_y
        base_style = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base_style)
        cursor = index == self._cursor
        cache_key = (index, cursor, scroll_x, width, base_style, self._pseudo_state)
        strip = self._lines.get(cache_key)
        if strip is None:
            segments = self._line(index, cursor, width)
            total = sum(segment.cell_length for segment in segments)
            strip = (
                Strip(segments, total)
                .crop(scroll_x, scroll_x + width)
                .adjust_cell_length(width, base_style)
                .simplify()
            )
            self._lines[cache_key] = strip
        return strip

    def _line(self, index: int, cursor: bool, width: int) -> list[Segment]:
        """One row (or the header) at full table width, styled as DataTable styles it."""
        if index == _HEADER:
            cells: Cells = self._labels
            row_style = self.get_component_styles("datatable--header").rich_style
        else:
            cells = self._cells(self._rows[index])
            parity = "datatable--odd-row" if index % 2 else "datatable--even-row"
            row_style = self.get_component_styles(parity).rich_style
        component = self.get_component_rich_style("datatable--cursor") if cursor else Style()
        # The cursor's colours win over the cells' own (DataTable's "css" cursor priority).
        post = Style.from_color(component.color) + Style.from_color(bgcolor=component.bgcolor)
        console = self.app.console
        segments: list[Segment] = []
        for column, (cell, content_width) in enumerate(zip(cells, self._widths, strict=False)):
            pre = row_style + Style.from_meta({"row": index, "column": column}) + component
            options = console.options.update_dimensions(content_width + 2 * _PADDING, 1)
            lines = console.render_lines(
                Styled(Padding(cell, (0, _PADDING)), pre_style=pre, post_style=post),
                options.update(no_wrap=True),
            )
            segments.extend(lines[0])
        used = sum(width + 2 * _PADDING for width in self._widths)
        extend = row_style + component
        extend += Style.from_meta({"row": index, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * max(0, width - used), extend))
        return segments


def _cell_width(cell: Text) -> int:
    """A cell's width as DataTable measures it: its longest line."""
    plain = cell.plain
    if "\n" in plain:
        return max(cell_len(line) for line in plain.splitlines())
    return cell.cell_len
