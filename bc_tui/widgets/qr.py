"""The QR code widget: dark modules on a light ground whatever the terminal's theme."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

#: Forced colours: a camera needs dark-on-light with contrast, not the theme's palette.
QR_STYLE = "rgb(0,0,0) on rgb(255,255,255)"


class QrCode(Static):
    """Shows the code for one token; `show(token)` swaps it when a new code is generated."""

    def __init__(self, token: str, *, id: str | None = None) -> None:
        super().__init__(self._render_code(token), id=id)

    def show(self, token: str) -> None:
        self.update(self._render_code(token))

    @staticmethod
    def _render_code(token: str) -> Text:
        # Imported with the first code drawn: qrcode costs ~5 ms of every start otherwise.
        from bc_tui import qr

        lines = qr.half_blocks(qr.matrix(qr.payload(token)))
        return Text("\n".join(lines), style=QR_STYLE, no_wrap=True)
