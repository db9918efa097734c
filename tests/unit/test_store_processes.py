"""bc_tui.store across real processes: concurrent writers, a writer killed mid-write, the lock.

The other processes run tests/unit/store_worker.py. Every wait is bounded: lines are read by a
thread into a queue that the test polls with a timeout, and processes are killed on the way
out whatever happened.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bc_tui.store import DatabaseBusy, Store

WORKER = Path(__file__).with_name("store_worker.py")
REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0  # generous per-step bound: a healthy run takes well under a second per step

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL and flock")


class Worker:
    """A store_worker.py process whose stdout lines arrive in a queue (reads never block)."""

    def __init__(self, *args: str) -> None:
        path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)  # end of output

    def next_line(self) -> str:
        """The next line, or fail the test (with the worker's stderr) after TIMEOUT."""
        try:
            line = self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            self.kill()
            pytest.fail(f"worker said nothing for {TIMEOUT} s")
        if line is None:
            self.proc.wait(timeout=TIMEOUT)
            assert self.proc.stderr is not None
            pytest.fail(f"worker exited early ({self.proc.returncode}): {self.proc.stderr.read()}")
        return line

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def remaining_lines(self) -> list[str]:
        """Everything the worker printed after the lines already taken, once it has exited."""
        self.proc.wait(timeout=TIMEOUT)
        self._reader.join(timeout=TIMEOUT)
        out: list[str] = []
        while (line := self.lines.get(timeout=TIMEOUT)) is not None:
            out.append(line)
        return out

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=TIMEOUT)

    def close(self) -> None:
        self.kill()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.close()


def test_two_processes_insert_concurrently_without_losing_anything(
    tmp_path: Path, workers: list[Worker]
) -> None:
    db = tmp_path / "bc.json"
    Store(db).close()
    count = 200
    for tag in ("a", "b"):
        workers.append(Worker(str(db), "insert", tag, str(count)))
    for worker in workers:
        assert worker.next_line() == "ready"
    for worker in workers:  # start both at once
        worker.send("go\n")
    for worker in workers:
        assert worker.remaining_lines() == [f"ok {i}" for i in range(count)]
        assert worker.proc.returncode == 0
    with Store(db, readonly=True) as s:
        documents = s.table("docs").all()
    assert len(documents) == 2 * count
    assert len({doc.doc_id for doc in documents}) == 2 * count
    assert {(doc["tag"], doc["i"]) for doc in documents} == {
        (tag, i) for tag in ("a", "b") for i in range(count)
    }
    # each worker's own documents are in commit order: nobody overwrote anybody
    for tag in ("a", "b"):
        order = [doc["i"] for doc in sorted(documents, key=lambda d: d.doc_id) if doc["tag"] == tag]
        assert order == list(range(count))


def wait_for_temp_file(folder: Path) -> None:
    """Spin until a temp file of an in-flight write shows up (it lives for about an fsync)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        with os.scandir(folder) as entries:
            if any(entry.name.endswith(".tmp") for entry in entries):
                return
    pytest.fail(f"no write seen in {TIMEOUT} s")


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_writer_killed_at_random_moment_leaves_valid_file(
    tmp_path: Path, workers: list[Worker], seed: int
) -> None:
    db = tmp_path / "bc.json"
    Store(db).close()
    rng = random.Random(seed)
    worker = Worker(str(db), "loop", "w")
    workers.append(worker)
    committed: list[int] = []
    for _ in range(rng.randint(5, 60)):
        committed.append(int(worker.next_line().removeprefix("ok ")))
    # Right after a report the writer is always at the start of its next transaction, so to
    # also hit the middle of a write, wait (spinning, bounded) until its temp file exists.
    if rng.random() < 0.75:
        wait_for_temp_file(tmp_path)
    os.kill(worker.proc.pid, signal.SIGKILL)
    committed += [int(line.removeprefix("ok ")) for line in worker.remaining_lines()]
    assert worker.proc.returncode == -signal.SIGKILL
    assert committed == list(range(len(committed)))

    raw = json.loads(db.read_bytes())  # the file is whole JSON, never torn
    assert isinstance(raw, dict)
    with Store(db) as s:  # opens for writing: validates, backs up, sweeps the temp file
        found = {doc["i"] for doc in s.table("docs").all()}
        assert set(committed) <= found
        # at most the one transaction in flight at the kill may have landed unreported
        assert len(found - set(committed)) <= 1
        assert s.table("counter").all()[0]["n"] == max(found)
        with s.transaction() as tx:  # and it is writable afterwards
            tx.table("docs").insert({"i": -1})
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == ["bc.json", "bc.json.bak", "bc.json.lock"]


def test_lock_held_by_another_process_means_busy(tmp_path: Path, workers: list[Worker]) -> None:
    db = tmp_path / "bc.json"
    with Store(db, lock_timeout=0.2) as s:
        before = db.read_bytes()
        holder = Worker(str(db), "hold")
        workers.append(holder)
        assert holder.next_line() == "held"
        with pytest.raises(DatabaseBusy), s.transaction() as tx:
            tx.table("a").insert({"n": 1})  # pragma: no cover - never reached
        assert db.read_bytes() == before
        holder.send("")
        assert holder.proc.stdin is not None
        holder.proc.stdin.close()  # the holder lets go when its stdin closes
        holder.proc.wait(timeout=TIMEOUT)
        with s.transaction() as tx:
            tx.table("a").insert({"n": 1})
        assert s.revision == 1
