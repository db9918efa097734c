"""A list to pick several of, that paints only the lines on screen: for the dialogs that
offer every TikTok account or every member (Assign, Add partner, Invite).

Textual's SelectionList lays out every option when it is filled: at 10,000 accounts the Add
partner dialog took ~0.6 s to open and each switch of asset type as long again. `PickList`
is a `VirtualTable` of (label, value) items with a ✓ column, so opening it costs what the
rows on screen cost, whatever the number of items. Typing jumps to the next item whose label
starts with what was typed (an "@" aside), as in a file manager: with 10,000 accounts,
scrolling to one is not a way to find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, NamedTuple

from rich.markup import escape
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from bc_tui.widgets.cells import plain
from bc_tui.widgets.table import Cells, VirtualTable


class Item(NamedTuple):
    """One line of the list: what it says, and the value picking it stands for."""

    label: str
    value: str


#: Seconds between two letters that still extend what is being typed, rather than start anew.
TYPING_PAUSE = 1.0

_MARK = Text("✓", style="bold")
_BLANK = Text(" ")


class PickList(VirtualTable[Item]):
    """Items in the order given; space (or a click) picks or unpicks the one under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle", "Pick", show=False)]

    DEFAULT_CSS = """
    PickList {
        height: auto;
        max-height: 12;
    }
    """

    class Changed(Message):
        """The picked values changed."""

        def __init__(self, pick_list: PickList) -> None:
            super().__init__()
            self.pick_list = pick_list

        @property
        def control(self) -> PickList:
            return self.pick_list

    def __init__(self, column: str, items: Iterable[Item] = (), *, id: str | None = None) -> None:
        super().__init__(_columns(column, True), self._item_cells, key=_value, texts=_texts, id=id)
        self._column = column
        self._picked: set[str] = set()
        self._typed = ""  # what the last letters typed in a row spell
        self._typed_at = 0.0  # when the last of them came (the key event's time)
        self.show(list(items))

    @property
    def selected(self) -> list[str]:
        """The picked values, in the items' order."""
        picked = self._picked
        return [item.value for item in self._rows if item.value in picked]

    def set_items(self, items: Iterable[Item]) -> None:
        """Offer these items instead, none picked, the cursor on the first."""
        self._set(set())
        self.move_cursor(row=0, scroll=False)
        self.show(list(items))

    def set_column(self, column: str) -> None:
        """Call the items something else (the header line)."""
        self._column = column
        self.set_columns(_columns(column, bool(self._rows)))

    def show(self, rows: Sequence[Item]) -> None:
        """Show these items (the header says whether there are any to pick)."""
        self.set_columns(_columns(self._column, bool(rows)))
        super().show(rows)

    def pick(self, value: str) -> None:
        """Pick the item whose value is `value` (KeyError if none is offered)."""
        self.row_index(value)
        self._set(self._picked | {value})

    def action_toggle(self) -> None:
        if self._rows:
            self._set(self._picked ^ {self._rows[self.cursor_row].value})

    def action_select_cursor(self) -> None:
        """Enter on the list (when no dialog binding takes it) picks, as space does."""
        self.action_toggle()

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

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # not VirtualTable's too: it would pick the line again
        row = event.style.meta.get("row")
        if row is None or row < 0:
            return
        self.move_cursor(row=row)
        self.action_toggle()
        event.stop()

    def _set(self, picked: set[str]) -> None:
        if picked != self._picked:
            self._picked = picked
            self.refresh_cells()
            self.post_message(self.Changed(self))

    def _item_cells(self, item: Item) -> Cells:
        return (_MARK if item.value in self._picked else _BLANK, plain(item.label))


def _columns(column: str, items: bool) -> tuple[str, str]:
    """The ✓ column and the items', whose header also says how to pick, or that there is
    nothing to (as markup)."""
    hint = "type to jump, space picks" if items else "none to pick"
    return ("", f"{escape(column)} [dim]({hint})[/]")


def _value(item: Item) -> str:
    return item.value


def _texts(item: Item) -> Sequence[str]:
    return ("✓", item.label)  # the mark's column is as wide whether or not it is picked
