"""The QR countdown reads the injected clock and announces expiry exactly once."""

from __future__ import annotations

from datetime import timedelta

from textual.app import App, ComposeResult

from bc_tui.clock import FakeClock
from bc_tui.widgets.countdown import QrCountdown


class CountdownApp(App[None]):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.expired = 0

    def compose(self) -> ComposeResult:
        yield QrCountdown(self.clock)

    def on_qr_countdown_expired(self, _: QrCountdown.Expired) -> None:
        self.expired += 1


async def test_counts_down_warns_and_expires_once() -> None:
    clock = FakeClock()
    app = CountdownApp(clock)
    async with app.run_test() as pilot:
        countdown = app.query_one(QrCountdown)
        start = clock.now()
        countdown.start(start, start + timedelta(seconds=300))
        assert str(countdown.render()).startswith("05:00 ")
        clock.advance(271)
        countdown.tick()
        assert str(countdown.render()).startswith("00:29 ")
        assert countdown.has_class("-warning")
        clock.advance(29)
        countdown.tick()
        countdown.start(start, start + timedelta(seconds=300))  # re-rendered: same expiry
        countdown.tick()
        await pilot.pause()
        assert str(countdown.render()) == "00:00 expired"
        assert countdown.has_class("-expired") and not countdown.has_class("-warning")
        assert app.expired == 1
        countdown.start(clock.now(), clock.now() + timedelta(seconds=60))  # a new code
        assert not countdown.has_class("-expired")
        clock.advance(60)
        countdown.tick()
        await pilot.pause()
        assert app.expired == 2
