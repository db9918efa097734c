"""A dialog's text field."""

from __future__ import annotations

from textual.widgets import Input


class TextField(Input):
    """An Input that types every character but `?`, which is the dialog's: it shows the
    keys. Textual drops a binding for a key the focused field would take, so with the
    cursor in a form's first field, where it starts, `?` was typed there and the key bar
    left it out. (No name, handle, address or amount bc-tui takes needs a `?`.)"""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character != "?" and super().check_consume_key(key, character)
