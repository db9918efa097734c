"""Command-line numbers: one converter shape for every bounded option of `bc-tui` and its
`ssh` server, so each says the same kind of thing when a value is wrong."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

N = TypeVar("N", int, float)


def bounded(
    parse: Callable[[str], N], low: N, high: N, *, what: str, limits: str
) -> Callable[[str], N]:
    """An argparse `type=` that reads a number with `parse` and keeps it in [low, high].

    `what` names the kind of value ("a port number"), `limits` says the range in words."""

    def convert(text: str) -> N:
        try:
            value = parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range ({limits})")
        return value

    return convert
