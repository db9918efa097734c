"""The QR countdown reads the injected clock and announces expiry exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

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


async def test_a_tick_lays_out_only_a_text_of_another_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue #8's idle row: the countdown repaints only itself once a second. Each tick laid
    out the whole dialog again, for a text as wide as the one before."""
    clock = FakeClock()
    app = CountdownApp(clock)
    async with app.run_test() as pilot:
        countdown = app.query_one(QrCountdown)
        start = clock.now()
        countdown.start(start, start + timedelta(seconds=300))
        await pilot.pause()
        layouts: list[bool] = []
        refresh = countdown.refresh

        def noted(*regions: Region, layout: bool = False, **options: bool) -> QrCountdown:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **options)

        monkeypatch.setattr(countdown, "refresh", noted)
        for _ in range(3):
            clock.advance(1)
            countdown.tick()
        assert layouts == [False, False, False]
        clock.advance(300)
        countdown.tick()  # "00:00 expired": narrower
        assert layouts[-1] is True
        countdown.start(clock.now(), clock.now() + timedelta(seconds=60))  # wide again
        assert layouts[-1] is True
        countdown.stop()  # (answered: no text)
        countdown.start(clock.now(), clock.now() + timedelta(seconds=60))  # a new code
        assert layouts[-2:] == [True, True]
