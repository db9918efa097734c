"""Lists to pick from that paint only the lines on screen: for the dialogs that offer every
TikTok account or every member (Assign, Add partner, Invite; the acting user).

Textual's SelectionList and OptionList lay out every option when they are filled: at 10,000
accounts the Add partner dialog took ~0.6 s to open and each switch of asset type as long
again; choosing whom to act as among 1,000 members took ~0.4 s to open. These lists are
`VirtualTable`s of (label, value) items, so opening one costs what the rows on screen cost,
whatever the number of items: `PickList` to pick several (a ✓ column), `ChoiceList` to choose
one. In both, typing jumps to the next item whose label starts with what was typed (an "@"
aside), as in a file manager: among 10,000 accounts, scrolling to one is not a way to find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import ClassVar, NamedTuple

from rich.markup import escape
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message

from bc_tui.widgets.cells import plain
from bc_tui.widgets.table import CELL_PADDING, Cells, VirtualTable, by_row


class Item(NamedTuple):
    """One line of the list: what it says, and the value picking it stands for."""

    label: str
    value: str


#: Seconds between two letters that still extend what is being typed, rather than start anew.
TYPING_PAUSE = 1.0

_MARK = Text("✓", style="bold")
_BLANK = Text(" ")


class ItemList(VirtualTable[Item]):
    """Items in the order given, a header that says how to pick, and typing to find one."""

    HINT = ""  # how to pick, in the header
    EMPTY = "none to pick"  # the header's words when there is nothing to
    MARKS = False  # a ✓ column before the labels
    # As in a list (OptionList's keys), not a wide table: home and end go to the first and
    # the last item.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "cursor_top", "First", show=False),
        Binding("end", "cursor_bottom", "Last", show=False),
    ]

    DEFAULT_CSS = """
    ItemList {
        height: auto;
        max-height: 12;
        overflow-x: hidden;  /* labels fit (see _fit) */
    }
    """

    def __init__(self, column: str, items: Iterable[Item] = (), *, id: str | None = None) -> None:
        columns = self._columns(column, True)
        super().__init__(
            columns, self._item_cells, key=_value, texts=by_row(self._label_texts), id=id
        )
        self._column = column
        self._natural = 0  # the labels' column's width, to fit the widest label
        self._typed = ""  # what the last letters typed in a row spell
        self._typed_at = 0.0  # when the last of them came (the key event's time)
        self.show(list(items))

    def show(self, rows: Sequence[Item]) -> None:
        """Show these items (the header says whether there are any to pick)."""
        self.set_columns(self._columns(self._column, bool(rows)))
        super().show(rows)
        self._natural = self._widths[-1]
        self._fit()
        # Again once laid out: a scrollbar the new items bring narrows the list without
        # resizing it (no Resize event).
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The labels' column as wide as its widest label, but no wider than the list: a longer
        label ends in an ellipsis, as a choice is read, not scrolled across."""
        widths = self._widths
        room = self.scrollable_content_region.width - sum(
            width + 2 * CELL_PADDING for width in widths[:-1]
        )
        width = max(1, min(self._natural, room - 2 * CELL_PADDING)) if room > 0 else self._natural
        if width != widths[-1]:
            widths[-1] = width
            self.refresh_cells()
        total = sum(width + 2 * CELL_PADDING for width in widths)
        self.virtual_size = Size(total, len(self._rows) + 1)

    def _columns(self, column: str, items: bool) -> tuple[str, ...]:
        """The header: the items' column says how to pick, or that there is nothing to."""
        label = f"{escape(column)} [dim]({self.HINT if items else self.EMPTY})[/]"
        return ("", label) if self.MARKS else (label,)

    def _label_texts(self, item: Item) -> Sequence[str]:
        # The mark's column is as wide whether or not the item is picked.
        return ("✓", item.label) if self.MARKS else (item.label,)

    def _item_cells(self, item: Item) -> Cells:
        return (plain(item.label),)

    async def _on_click(self, event: events.Click) -> None:
        """A click on an item does what enter does (picks it, or chooses it) at once, where
        VirtualTable's first click only moves the cursor there."""
        event.prevent_default()  # not VirtualTable's too: it would act on the line again
        row = event.style.meta.get("row")
        if row is None or row < 0:
            return
        self.move_cursor(row=row)
        self.action_select_cursor()
        event.stop()

    def _on_key(self, event: events.Key) -> None:
        character = event.character
        if character is None or not character.isprintable() or character == " ":
            return
        extending = event.time - self._typed_at < TYPING_PAUSE
        self._typed = (self._typed if extending else "") + character.casefold()
        self._typed_at = event.time
        event.stop()
        event.prevent_default()
        typed = self._typed.removeprefix("@")  # as the labels are matched
        if not typed:
            return
        if len(set(typed)) == 1:  # a letter (again): the next item that starts with it
            found = self._find(typed[0], self.cursor_row + 1)
        else:  # a letter more: the item found so far, if it still fits
            found = self._find(typed, self.cursor_row)
        if found is not None:
            self.move_cursor(row=found)

    def _find(self, prefix: str, start: int) -> int | None:
        """The first item from `start` on (going round) whose label starts with `prefix`."""
        rows = self._rows
        count = len(rows)
        for offset in range(count):
            index = (start + offset) % count
            if rows[index].label.removeprefix("@").casefold().startswith(prefix):
                return index
        return None


class PickList(ItemList):
    """Space (or a click) picks or unpicks the item under the cursor."""

    HINT = "type to jump, space picks"
    MARKS = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle", "Pick", show=False)]

    class Changed(Message):
        """The picked values changed."""

        def __init__(self, pick_list: PickList) -> None:
            super().__init__()
            self.pick_list = pick_list

        @property
        def control(self) -> PickList:
            return self.pick_list

    def __init__(self, column: str, items: Iterable[Item] = (), *, id: str | None = None) -> None:
        self._picked: set[str] = set()
        super().__init__(column, items, id=id)

    @property
    def selected(self) -> list[str]:
        """The picked values, in the items' order."""
        picked = self._picked
        return [item.value for item in self._rows if item.value in picked]

    def set_items(self, items: Iterable[Item], *, column: str | None = None) -> None:
        """Offer these items instead, none picked, the cursor on the first; `column`: what
        they are now, if that changed too (the header line)."""
        if column is not None:
            self._column = column
        self._set(set())
        self.move_cursor(row=0, scroll=False)
        self.show(list(items))

    def pick(self, value: str) -> None:
        """Pick the item whose value is `value` (KeyError if none is offered)."""
        self.row_index(value)
        self._set(self._picked | {value})

    def action_toggle(self) -> None:
        if self._rows:
            self._set(self._picked ^ {self._rows[self.cursor_row].value})

    def action_select_cursor(self) -> None:
        """Enter (when no dialog binding takes it) or a click picks, as space does."""
        self.action_toggle()

    def _set(self, picked: set[str]) -> None:
        if picked != self._picked:
            self._picked = picked
            self.refresh_cells()
            self.post_message(self.Changed(self))

    def _item_cells(self, item: Item) -> Cells:
        return (_MARK if item.value in self._picked else _BLANK, plain(item.label))


class ChoiceList(ItemList):
    """Enter (or a click) chooses the item under the cursor: `VirtualTable.RowSelected`,
    whose `key` is the item's value."""

    HINT = "type to jump, enter chooses"
    EMPTY = "none to choose"

    def __init__(
        self,
        column: str,
        items: Iterable[Item] = (),
        *,
        current: str | None = None,
        id: str | None = None,
    ) -> None:
        """`current`: the value the cursor starts on (if offered)."""
        super().__init__(column, items, id=id)
        if current is not None:
            with suppress(KeyError):
                self.move_cursor(row=self.row_index(current), scroll=False)  # shown once laid out


def _value(item: Item) -> str:
    return item.value
