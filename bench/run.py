"""bc-tui at scale, against baselines measured in the same run: `make bench`.

Builds the databases with `bc-tui seed` (10,000 TikTok accounts, 1,000 members, 100,000
audit events; and the same without the events), runs each measurement several times, each in
a fresh process (bench/measure.py), and prints one table: metric, bc-tui, baseline, ratio,
target, pass/fail. Every figure comes from this run. Asserts nothing: a shared machine is
noisy, which is why timings live here and not in the tests.

    python bench/run.py [--repeat 5] [--accounts 10000] [--members 1000] [--events 100000]
                        [--no-tests]

Baselines: a bare Textual app (Header, Footer, one Static; bench/bare.py) started and driven
the same way, and stock TinyDB (JSONStorage) updating the same file. Key timings run with
Textual's frame cap lifted (TEXTUAL_FPS=1000, both sides), so they measure the handler and
the repaint, not the wait for the next 60 Hz tick.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bc_tui.store import events_path

ROOT = Path(__file__).resolve().parent.parent
MEASURE = [sys.executable, str(ROOT / "bench" / "measure.py")]
#: The start-up is run this many times more than the others: a run takes well under a second,
#: and on a shared machine the median of five moved its ratio by ±0.03 from one run to the
#: next, about the distance to its target.
STARTUPS_PER_RUN = 3


def _child(*args: str, fps: bool = False) -> object:
    """Run one measurement in a fresh process; return the JSON it printed last."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if fps:
        env["TEXTUAL_FPS"] = "1000"
    done = subprocess.run(
        [*MEASURE, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/measure.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


@dataclass
class Row:
    metric: str
    ours: float
    baseline: float | None
    unit: str
    target: str
    passed: bool

    def cells(self) -> list[str]:
        ratio = "—" if not self.baseline else f"{self.ours / self.baseline:.2f}"
        base = "—" if self.baseline is None else f"{self.baseline:,.1f} {self.unit}"
        return [
            self.metric,
            f"{self.ours:,.1f} {self.unit}",
            base,
            ratio,
            self.target,
            "—" if self.target == "—" else "pass" if self.passed else "FAIL",
        ]


def _seed(path: Path, accounts: int, members: int, events: int) -> None:
    command = [sys.executable, "-m", "bc_tui", "seed", "--db", str(path)]
    command += ["--accounts", str(accounts), "--members", str(members), "--events", str(events)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def _megabytes(db: Path) -> str:
    """The database's size: its main file, and its audit log's side file if it has one."""
    side = events_path(db)
    text = f"{db.stat().st_size / 1e6:.0f} MB"
    return text + (f" + {side.stat().st_size / 1e6:.0f} MB of events" if side.exists() else "")


def _startup(db: Path, repeat: int) -> list[Row]:
    took: dict[str, list[float]] = {"bc": [], "bare": []}
    rss: dict[str, list[float]] = {"bc": [], "bare": []}
    for _ in range(repeat):
        for target in ("bare", "bc"):
            started = time.time()
            result = _child("startup", target, str(db))
            assert isinstance(result, dict)
            took[target].append(result["painted_at"] - started)
            rss[target].append(result["peak_rss_mb"])
    ours, base = statistics.median(took["bc"]) * 1000, statistics.median(took["bare"]) * 1000
    ours_mb, base_mb = statistics.median(rss["bc"]), statistics.median(rss["bare"])
    frame = "1. start-up to first TikTok accounts frame"
    return [
        Row(frame, ours, base, "ms", "≤ 1.5x", ours <= 1.5 * base),
        Row("1. peak memory (RSS) then", ours_mb, base_mb, "MiB", "≤ 2x", ours_mb <= 2 * base_mb),
    ]


def _in_app(what: str, db: Path, repeat: int) -> tuple[list[float], list[float]]:
    ours: list[float] = []
    base: list[float] = []
    for _ in range(repeat):
        ours += _child(what, "bc", str(db), fps=True)  # type: ignore[arg-type]
        base += _child(what, "bare", fps=True)  # type: ignore[arg-type]
    return ours, base


def _typing(db: Path, repeat: int) -> list[Row]:
    ours, base = _in_app("typing", db, repeat)
    median, p95 = statistics.median(ours), _p95(ours)
    key = "2. `/` filter over all accounts, per key"
    return [
        Row(f"{key} (median)", median, statistics.median(base), "ms", "< 16 ms", median < 16),
        Row(f"{key} (p95)", p95, _p95(base), "ms", "< 33 ms", p95 < 33),
    ]


def _change(db: Path, label: str) -> list[Row]:
    result = _child("change", str(db))
    assert isinstance(result, dict)
    ours, stock = statistics.median(result["ours"]), statistics.median(result["stock"])
    burst = statistics.median(result["burst"])
    what = f"3. one persisted change, {label} ({result['mb']:.0f} MB)"
    return [
        Row(f"{what}: at a person's pace", ours, None, "ms", "< 10 ms", ours < 10),
        Row(f"{what}: back to back", burst, None, "ms", "< 10 ms", burst < 10),
        Row(
            f"{what}: back to back vs stock TinyDB",
            burst,
            stock,
            "ms",
            "≤ 0.1x",
            burst <= stock / 10,
        ),
    ]


def _ahead(db: Path, repeat: int) -> list[Row]:
    """What building the other areas in the background costs: time, and memory then."""
    results = [_child("ahead", str(db)) for _ in range(repeat)]
    took = statistics.median(r["built_ms"] for r in results)  # type: ignore[index]
    peak = statistics.median(r["peak_rss_mb"] for r in results)  # type: ignore[index]
    return [
        Row(
            "4. … the other areas built in the background: done after",
            took,
            None,
            "ms",
            "—",
            True,
        ),
        Row("4. … memory then (peak RSS), every area built", peak, None, "MiB", "—", True),
    ]


def _switch(db: Path, repeat: int) -> list[Row]:
    ours, base = _in_app("switch", db, repeat)
    p95 = _p95(ours)
    rows = [Row("4. screen switch, keys 1-5 (p95)", p95, _p95(base), "ms", "< 50 ms", p95 < 50)]
    median = statistics.median(ours)
    rows.append(
        Row("4. screen switch, keys 1-5 (median)", median, statistics.median(base), "ms", "—", True)
    )
    # The same samples split: the first visit to an area builds its screen; later ones resume it.
    first, again = _first_visits(ours), _later_visits(ours)
    base_first, base_again = _first_visits(base), _later_visits(base)
    rows.append(
        Row(
            "4. … first visit to an area, built ahead (max)",
            max(first),
            max(base_first),
            "ms",
            "—",
            True,
        )
    )
    rows.append(
        Row("4. … areas visited before (p95)", _p95(again), _p95(base_again), "ms", "—", True)
    )
    return rows


#: Where the first visits fall in one run of `measure.py switch`: keys "21345" five times,
#: starting on area 1, so the first 2, 3, 4 and 5 build their screens.
_FIRST = (0, 2, 3, 4)
_PER_RUN = 25


def _first_visits(samples: list[float]) -> list[float]:
    return [x for i, x in enumerate(samples) if i % _PER_RUN in _FIRST]


def _later_visits(samples: list[float]) -> list[float]:
    return [x for i, x in enumerate(samples) if i % _PER_RUN not in _FIRST]


def _idle(db: Path, repeat: int) -> list[Row]:
    ours = [_child("idle", "bc", str(db))[0] for _ in range(repeat)]  # type: ignore[index]
    base = [_child("idle", "bare")[0] for _ in range(repeat)]  # type: ignore[index]
    used = statistics.median(ours)
    idle = "5. idle, QR countdown open 10 s: CPU"
    return [Row(idle, used, statistics.median(base), "%", "< 2 %", used < 2)]


def _tests() -> list[Row]:
    """`make test` itself (lint and the whole suite) in the venv `make bench` made: a fresh
    clone adds the venv and the install once (~18 s here). A failing suite fails the row."""
    started = time.perf_counter()
    done = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, check=False)
    took = time.perf_counter() - started
    ok = done.returncode == 0 and took < 120
    return [Row("6. `make test` (venv made; lint, whole suite)", took, None, "s", "< 120 s", ok)]


def _print(rows: list[Row]) -> None:
    header = ["metric", "bc-tui", "baseline", "ratio", "target", "result"]
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for number, line in enumerate(table):
        print(
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            + " |"
        )
        if number == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--no-tests", action="store_true", help="skip timing the test suite")
    args = parser.parse_args()
    # Every start loads bc-tui's bytecode, as a user's does from their second start on (pip
    # compiled Textual's at install). Without this, PYTHONDONTWRITEBYTECODE in the environment
    # would make each start compile every module changed since bytecode was last written.
    for package in ("bc_tui", "screens", "styles", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory(prefix="bc-tui-bench-") as folder:
        big, lean = Path(folder) / "big" / "bc.json", Path(folder) / "lean" / "bc.json"
        for path in (big, lean):
            path.parent.mkdir()
        _seed(big, args.accounts, args.members, args.events)
        _seed(lean, args.accounts, args.members, 0)
        print(
            f"databases: {args.accounts:,} accounts, {args.members:,} members, "
            f"{args.events:,} events ({_megabytes(big)}) and without the "
            f"events ({_megabytes(lean)}); {args.repeat} runs each, "
            f"{STARTUPS_PER_RUN * args.repeat} of the start-up",
            file=sys.stderr,
        )
        rows = _startup(big, STARTUPS_PER_RUN * args.repeat)
        rows += _typing(big, max(1, args.repeat // 2))
        rows += _change(big, f"{args.events:,} events")
        rows += _change(lean, "no events")
        rows += _switch(big, max(1, args.repeat // 2))
        rows += _ahead(big, max(1, args.repeat // 2))
        rows += _idle(big, max(1, args.repeat // 2))
    if not args.no_tests:
        rows += _tests()
    _print(rows)


if __name__ == "__main__":
    main()
