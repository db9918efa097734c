"""The QR code on the admin's screen: the `qrcode` package's real matrix, drawn in half blocks.

Two modules share one terminal cell vertically (a cell is about twice as tall as it is wide),
so the code stays square and small enough for 80x24. The quiet zone and forced dark-on-light
colours (see `bc_tui.widgets.qr`) are what let a phone camera read it off a dark terminal.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_L

#: The link a scan yields: the phone (real or simulated) takes the token from it.
PAYLOAD_PREFIX = "bc-tui://authorize?token="
#: Light modules around the code. The standard asks for four; two reads reliably on screens
#: and keeps a version-3 code 17 rows tall, which fits an 80x24 terminal with its dialog.
QUIET_ZONE = 2

_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
_MODULES = {cell: modules for modules, cell in _CELLS.items()}


def payload(token: str) -> str:
    return PAYLOAD_PREFIX + token


def token_from(scanned: str) -> str:
    """The token in a scanned link, or the text itself when someone typed the short token."""
    text = scanned.strip()
    return text.removeprefix(PAYLOAD_PREFIX)


def matrix(data: str) -> list[list[bool]]:
    """The code's modules, quiet zone included; True is dark."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, border=QUIET_ZONE, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def half_blocks(modules: list[list[bool]]) -> list[str]:
    """Rows of characters, two module rows per line; an odd last row gets a light partner.

    In each cell the upper half-block is the upper module: drawn in the dark colour on the
    light background, "▀" is dark above light, "▄" light above dark, "█" both dark.
    """
    width = len(modules[0])
    padded = modules + ([[False] * width] if len(modules) % 2 else [])
    return [
        "".join(_CELLS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(padded[::2], padded[1::2], strict=True)
    ]


def modules_from_half_blocks(lines: list[str]) -> list[list[bool]]:
    """Read the drawn lines back into modules (what a camera does); used to prove the drawing."""
    modules: list[list[bool]] = []
    for line in lines:
        pairs = [_MODULES[cell] for cell in line]
        modules.append([top for top, _ in pairs])
        modules.append([bottom for _, bottom in pairs])
    return modules
