"""The QR countdown: mm:ss and a bar, ticking once a second from the injected Clock."""

from __future__ import annotations

import math
from datetime import datetime

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from bc_tui.clock import Clock
from bc_tui.domain import labels

BAR_WIDTH = 20
WARN_SECONDS = 30


class QrCountdown(Static):
    """Counts down to `expires_at`; turns to a warning in the last 30 s and posts `Expired`
    once at zero. Reads time only from the Clock, so a frozen clock freezes it."""

    class Expired(Message):
        """The code this countdown belongs to just ran out."""

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._expires_at: datetime | None = None
        self._lifetime = 1.0
        self._announced = False
        self._width = -1  # the cells the text took when last drawn

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def start(self, created_at: datetime, expires_at: datetime) -> None:
        """Count down to an expiry; `Expired` is posted once per expiry, however often the
        same one is started again (the dialog re-renders on every data change)."""
        if expires_at != self._expires_at:
            self._announced = False
        self._expires_at = expires_at
        self._lifetime = max(1.0, (expires_at - created_at).total_seconds())
        self.tick()

    def stop(self) -> None:
        """Nothing to count down (the request was answered or cancelled)."""
        self._expires_at = None
        self._show(Text(""))

    def tick(self) -> None:
        if self._expires_at is None:
            return
        left = max(0, math.ceil((self._expires_at - self._clock.now()).total_seconds()))
        self.set_class(0 < left <= WARN_SECONDS, "-warning")
        self.set_class(left == 0, "-expired")
        filled = round(BAR_WIDTH * left / self._lifetime)
        text = Text(labels.mm_ss(left) + " ", style="bold")
        text.append("█" * filled, style="bold")
        text.append("░" * (BAR_WIDTH - filled), style="dim")
        if left == 0:
            text = Text("00:00 expired", style="bold")
        self._show(text)
        if left == 0 and not self._announced:
            self._announced = True
            self.post_message(self.Expired())

    def _show(self, text: Text) -> None:
        """Draw `text`, laying it out only if its width is not the last one's: every second,
        a layout of the whole dialog for a text of the same width was most of the CPU the
        open dialog used. (Every text goes through here, or a stop's empty text would leave
        the width of the one before it, and the next code's text would not be laid out.)"""
        self.update(text, layout=text.cell_len != self._width)
        self._width = text.cell_len
