"""One measurement in a fresh process; prints its samples as JSON on the last line.

    python bench/measure.py startup (bc DB | bare)
    python bench/measure.py typing|switch|idle (bc DB | bare)
    python bench/measure.py ahead|change DB

Run by bench/run.py, which repeats each and prints the table. Timings are taken inside the
app: from the moment a key event is handed to the app (as a terminal's would be) until the
compositor has painted the result (`call_after_refresh` scheduled by the handler), without
Pilot's settling waits. bc-tui runs as the CLI starts it, building its other areas in the
background after the first frame; the in-app measurements begin once that is done, as a
user's first key would come (`ahead` measures how long it takes).
"""

from __future__ import annotations

import asyncio
import importlib.abc
import importlib.util
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen


def _report(result: Any) -> None:
    print(json.dumps(result), flush=True)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- start-up -------------------------------------------------------------------------------


def _painted(screen: Screen[None]) -> None:
    """First frame of `screen` is on the (headless) terminal: report and stop at once."""

    def report() -> None:
        _report({"painted_at": time.time(), "peak_rss_mb": _peak_rss_mb()})
        os._exit(0)

    screen.call_after_refresh(report)


def _after_import(name: str, patch: Callable[[ModuleType], None]) -> None:
    """Run `patch` on module `name` as soon as something imports it, not before: importing
    bc-tui's app here would take Textual's imports out of the CLI's start-up, which makes them
    with the collector off."""

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            assert spec is not None and spec.loader is not None
            load = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                load(module)
                patch(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())


def startup(target: str, db: str | None) -> None:
    """Start the way `bc-tui --db DB` does (the CLI's own code), headless, on TikTok accounts."""
    if target == "bare":
        from bench.bare import BareApp

        class Timed(BareApp):
            def on_mount(self) -> None:
                _painted(self.screen)

        Timed().run(headless=True)
        return

    def headless(module: ModuleType) -> None:
        app = module.BusinessCenterApp
        app.DEFAULT_MODE = "tiktok_accounts"
        run = app.run
        app.run = lambda self, **kw: run(self, headless=True, **kw)

    def timed(module: ModuleType) -> None:
        screen = module.TikTokAccountsScreen
        mount = screen.on_mount

        def on_mount(self: Screen[None]) -> None:
            mount(self)
            _painted(self)

        screen.on_mount = on_mount

    _after_import("bc_tui.app", headless)
    _after_import("bc_tui.screens.tiktok_accounts", timed)
    from bc_tui.cli import main

    main(["--db", str(db)])


# -- in the running app ---------------------------------------------------------------------


class Stopwatch:
    """From a key handed to the app to the paint after the handler that it triggered."""

    def __init__(self) -> None:
        self.done: asyncio.Future[float] | None = None

    def handled(self, screen: Screen[None]) -> None:
        done = self.done
        if done is not None and not done.done():
            screen.call_after_refresh(lambda: done.done() or done.set_result(time.perf_counter()))

    async def press(self, app: App[None], key: str, character: str | None) -> float:
        self.done = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        assert app._driver is not None
        app._driver.send_message(events.Key(key, character))
        end = await asyncio.wait_for(self.done, timeout=30)
        return (end - start) * 1000


def _bc_app(db: str, watch: Stopwatch) -> App[None]:
    """bc-tui as `bc-tui --db DB` builds it (building areas ahead), with the stopwatch hooked
    where a screen shows itself (mount, resume); the typing benchmark hooks its load too."""
    from bc_tui.clock import SystemClock
    from bc_tui.ids import RandomIds
    from bc_tui.screens.base import AreaScreen
    from bc_tui.services import Services
    from bc_tui.store.database import Store

    resume, mount = AreaScreen.on_screen_resume, AreaScreen.on_mount

    def on_screen_resume(self: AreaScreen) -> None:
        resume(self)
        watch.handled(self)

    def on_mount(self: AreaScreen) -> None:
        mount(self)
        watch.handled(self)

    AreaScreen.on_screen_resume = on_screen_resume  # type: ignore[method-assign]
    AreaScreen.on_mount = on_mount  # type: ignore[method-assign]
    from bc_tui.app import BusinessCenterApp

    services = Services(Store(db), SystemClock(), RandomIds())
    actor = services.views.default_actor()
    assert actor is not None
    return BusinessCenterApp(services, actor, build_ahead=True)


async def _built(app: App[None], pilot: Pilot[None]) -> float:
    """Once the first frame is up, wait (at most 30 s) until bc-tui has built every area
    ahead, then until it is idle; the ms waited for the areas (bare: 0)."""
    from bc_tui.app import BusinessCenterApp

    await pilot.pause()
    took = 0.0
    if isinstance(app, BusinessCenterApp):
        start = time.perf_counter()
        await asyncio.wait_for(app.areas_built.wait(), timeout=30)
        took = (time.perf_counter() - start) * 1000
    await pilot.pause()
    return took


def _bare_app(watch: Stopwatch) -> App[None]:
    from bench import bare

    bare.on_handled = watch.handled
    return bare.BareModesApp()


async def typing(target: str, db: str | None) -> list[float]:
    """Type a handle's first letters into the `/` filter, then delete them, a key at a time."""
    watch = Stopwatch()
    app = _bare_app(watch) if target == "bare" else _bc_app(str(db), watch)
    samples = []
    async with app.run_test(size=(120, 36)) as pilot:
        await _built(app, pilot)
        if target == "bare":
            app.screen.query_one("#filter").focus()
            word = "northwind"
        else:
            from bc_tui.screens.base import AreaScreen

            await pilot.press("2", "slash")
            screen = app.screen
            assert isinstance(screen, AreaScreen)
            load = type(screen).load

            def timed_load() -> None:
                load(screen)
                watch.handled(screen)

            screen.load = timed_load  # type: ignore[method-assign]
            word = app.services.views.tiktok_accounts(app.actor)[0].handle[:7]  # type: ignore[attr-defined]
        await pilot.pause()
        for _ in range(3):
            for character in word:
                samples.append(await watch.press(app, character, character))
            for _ in word:
                samples.append(await watch.press(app, "backspace", None))
    return samples


async def switch(target: str, db: str | None) -> list[float]:
    """Keys 1-5 in turn, five rounds (the first visit to each screen builds it)."""
    watch = Stopwatch()
    app = _bare_app(watch) if target == "bare" else _bc_app(str(db), watch)
    samples = []
    async with app.run_test(size=(120, 36)) as pilot:
        await _built(app, pilot)
        for _ in range(5):
            for key in "21345":
                samples.append(await watch.press(app, key, key))
    return samples


async def idle(target: str, db: str | None, seconds: float = 10.0) -> list[float]:
    """CPU used while the QR countdown dialog sits open (bare: the bare app sits open)."""
    if target == "bare":
        from bench.bare import BareApp

        app: App[None] = BareApp()
    else:
        app = _bc_app(str(db), Stopwatch())
    async with app.run_test(size=(120, 36)) as pilot:
        await _built(app, pilot)
        if target != "bare":
            await _open_qr_code(app, pilot)
        await pilot.pause()
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        used = (time.process_time() - cpu) / (time.perf_counter() - wall)
    return [used * 100]


async def _open_qr_code(app: App[None], pilot: Pilot[None]) -> None:
    """The QR dialog of a claim of ownership of an account the Business Center has access to
    (at 10,000 accounts it is past TikTok's 800, so a new account cannot be asked for), as
    the TikTok accounts screen opens it once the claim is confirmed."""
    from bc_tui.app import BusinessCenterApp
    from bc_tui.domain.models import RelationStatus, RelationType, RequestKind
    from bc_tui.screens.qr_dialog import QrDialog

    assert isinstance(app, BusinessCenterApp)
    await pilot.press("2")
    handle = next(
        row.handle
        for row in app.services.views.tiktok_accounts(app.actor)
        if row.relation_type is RelationType.OWNER_INDIVIDUAL
        and row.relation_status is RelationStatus.BOUND
    )
    request = app.services.linking.request_authorization(
        app.actor, handle, RequestKind.CLAIM_OWNERSHIP
    )
    app.push_screen(QrDialog(request))
    await pilot.pause()
    assert isinstance(app.screen, QrDialog), app.screen


async def ahead(db: str) -> dict[str, float]:
    """From the first frame until every other area is built in the background, and the
    memory then: what building ahead costs each session."""
    app = _bc_app(db, Stopwatch())
    async with app.run_test(size=(120, 36)) as pilot:
        took = await _built(app, pilot)
    return {"built_ms": took, "peak_rss_mb": _peak_rss_mb()}


def change(db: str, repeat: int = 15) -> dict[str, list[float]]:
    """Assign a member to an account: the whole service call (lock, re-read check, change,
    audit event, atomic write with fsync), against stock TinyDB's one update of the same
    file. Each side works on its own copy.

    Ours is timed twice: at a person's pace (a change, then 50 ms untimed before the next, as
    a person takes far longer to pick the next one), and back to back, like stock's, where a
    commit can meet the work the previous one left to a worker thread (freeing the replaced
    file) still going on."""
    from tinydb import Query, TinyDB

    from bc_tui.clock import SystemClock
    from bc_tui.domain.models import (
        AssetLink,
        AssetRole,
        AssetType,
        Member,
        RelationStatus,
        UserRole,
    )
    from bc_tui.ids import RandomIds
    from bc_tui.services import Services
    from bc_tui.store import Store, copy_database, events_path

    folder = Path(db).parent
    ours_path, stock_path = folder / "change-ours.json", folder / "change-stock.json"
    copy_database(db, ours_path)
    # Stock TinyDB keeps every table in its one file, the audit log included: the same data.
    with Store(db, readonly=True) as source:
        whole = {name: dict(table.items()) for name, table in source.storage.read().items()}
    stock_path.write_bytes(json.dumps(whole).encode())
    megabytes = sum(p.stat().st_size for p in (Path(db), events_path(db)) if p.exists()) / 1e6
    services = Services(Store(ours_path), SystemClock(), RandomIds())
    actor = services.views.default_actor()
    assert actor is not None
    handles = [
        link.asset_id
        for link in services.repo.find(
            AssetLink, bc_id=actor.bc_id, relation_status=RelationStatus.BOUND
        )
    ][: 2 * (repeat + 1)]
    people = [
        m.user_id
        for m in services.repo.find(Member, bc_id=actor.bc_id, user_role=UserRole.STANDARD)
    ][: 2 * (repeat + 1)]
    paced, burst = [], []
    for number, (handle, user_id) in enumerate(zip(handles, people, strict=True)):
        times, pause = (paced, 0.05) if number <= repeat else (burst, 0.0)
        time.sleep(pause)
        start = time.perf_counter()
        services.center.assign_member(
            actor, user_id, AssetType.TT_ACCOUNT, handle, AssetRole.OPERATOR
        )
        times.append((time.perf_counter() - start) * 1000)
    stock = TinyDB(stock_path)
    table = stock.table("asset_links")
    baseline = []
    for handle in handles[: repeat + 1]:
        start = time.perf_counter()
        table.update({"relation_status": "BOUND"}, Query().asset_id == handle)
        baseline.append((time.perf_counter() - start) * 1000)
    stock.close()
    # The first of each warms caches (ours builds its indexes on first use): not counted.
    return {"ours": paced[1:], "burst": burst, "stock": baseline[1:], "mb": megabytes}


def main() -> None:
    what, target, *rest = sys.argv[1:]
    db = rest[0] if rest else None
    if what == "startup":
        startup(target, db)
    elif what == "change":
        _report(change(target))
    elif what == "ahead":
        _report(asyncio.run(ahead(target)))
    else:
        runner = {"typing": typing, "switch": switch, "idle": idle}[what]
        _report(asyncio.run(runner(target, db)))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
