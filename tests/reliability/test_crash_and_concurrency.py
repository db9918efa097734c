"""Reliability across real processes: writers killed at random moments, four writers at once,
and the lock.

The other processes run tests/reliability/store_worker.py. Every wait is bounded: lines are
read by a thread into a queue that the test polls with a timeout, and processes are killed on
the way out whatever happened.
"""

from __future__ import annotations

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
from typing import Any

import pytest

from bc_tui.domain.models import (
    AssetLink,
    AuditEvent,
    AuthorizationRequest,
    MemberStatus,
    RelationStatus,
)
from bc_tui.services.integrity import check_integrity
from bc_tui.store import DatabaseBusy, Store, copy_database
from bc_tui.store.repository import Repository
from tests.reliability.store_worker import (
    ACCOUNT,
    NORTHWIND,
    STEPS_PER_PERSON,
    crash_email,
)

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


def run_together(workers: list[Worker], count: int) -> None:
    """Start the workers at once (each waits at its barrier), then see each make `count`
    changes and exit cleanly."""
    for worker in workers:
        assert worker.next_line() == "ready"
    for worker in workers:
        worker.send("go\n")
    for worker in workers:
        assert worker.remaining_lines() == [f"ok {i}" for i in range(count)]
        assert worker.proc.returncode == 0


def test_two_processes_insert_concurrently_without_losing_anything(
    tmp_path: Path, workers: list[Worker]
) -> None:
    db = tmp_path / "bc.json"
    Store(db).close()
    count = 200
    for tag in ("a", "b"):
        workers.append(Worker(str(db), "insert", tag, str(count)))
    run_together(workers, count)
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


def wait_for_temp_file(folder: Path) -> bool:
    """Spin until a temp file of an in-flight write shows up (it lives for about an fsync).

    False if none showed up in time; a crash round then kills wherever the child is.
    """
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        with os.scandir(folder) as entries:
            if any(entry.name.endswith(".tmp") for entry in entries):
                return True
    return False


# -- 1. crash safety ----------------------------------------------------------------------------

#: Kills in all, spread over the CRASH_SEEDS tests (so xdist runs them side by side). The
#: issue asks for 200; BC_TUI_CRASH_KILLS may lower it on a slow CI machine (keep it >= 50).
CRASH_KILLS = int(os.environ.get("BC_TUI_CRASH_KILLS", "200"))
CRASH_SEEDS = (1, 2, 3, 4)


def person_state(data: dict[str, Any], email: str) -> int:
    """How many of a crash-loop person's STEPS the database shows as done (0 to 4)."""
    user = next((u for u in data["users"].values() if u["user_email"] == email), None)
    if user is None:
        return 0
    member = next(
        (
            doc
            for doc in data["members"].values()
            if doc["user_id"] == user["user_id"] and doc["bc_id"] == NORTHWIND
        ),
        None,
    )
    assigned = any(
        doc["user_id"] == user["user_id"] and doc["asset_id"] == ACCOUNT
        for doc in data.get("assignments", {}).values()
    )
    if member is None:
        assert not assigned, f"{email} has an assignment but is not a member"
        return 4
    if member["relation_status"] == MemberStatus.PENDING:
        return 1
    return 3 if assigned else 2


@pytest.mark.parametrize("seed", CRASH_SEEDS)
def test_killed_at_random_moments_the_database_stays_sound_and_complete(
    tmp_path: Path, demo_file: Path, workers: list[Worker], seed: int
) -> None:
    """A child does real use cases in a loop and is SIGKILLed at a random moment, again and
    again: in the middle of opening the file, of a transaction, of the atomic write, or right
    after a commit. After every kill the database opens, passes the integrity check, and
    holds every change the child reported as committed (plus at most the one in flight)."""
    db = tmp_path / "crash.json"
    copy_database(demo_file, db)
    rng = random.Random(seed)
    zygote = Worker(str(db), "zygote")
    workers.append(zygote)
    assert zygote.next_line() == "ready"
    done: dict[str, int] = {}  # email -> steps the database must show as done
    kills = max(1, CRASH_KILLS // len(CRASH_SEEDS))
    mid_write = 0
    for round_no in range(kills):
        zygote.send(f"go {round_no}\n")
        pid = int(zygote.next_line().removeprefix("pid "))
        reported = 0
        for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8, 13])):
            assert zygote.next_line() == f"ok {reported}"
            reported += 1
        if rng.random() < 0.5 and wait_for_temp_file(tmp_path):
            mid_write += 1
        os.kill(pid, signal.SIGKILL)
        while (line := zygote.next_line()).startswith("ok "):
            assert line == f"ok {reported}"
            reported += 1
        assert line == f"exit {int(signal.SIGKILL)}", line  # killed, not finished or crashed

        with Store(db) as store:  # opens for writing: validates, backs up, sweeps temp files
            assert check_integrity(store) == []
            data = store.storage.read()
        for i in range(reported):
            person, step = divmod(i, STEPS_PER_PERSON)
            done[crash_email(round_no, person)] = step + 1
        # The use case in flight at the kill may have committed without being reported.
        in_flight, step = divmod(reported, STEPS_PER_PERSON)
        email = crash_email(round_no, in_flight)
        assert person_state(data, email) in {step, step + 1}, (round_no, email)
        done[email] = person_state(data, email)
        for email, steps in done.items():
            assert person_state(data, email) == steps, (round_no, email)
        assert stray_files(tmp_path) == []
    assert mid_write > 0, "no kill landed in the middle of a write"
    with Store(db) as store:  # and it is still writable afterwards
        with store.transaction() as tx:
            tx.table("docs").insert({"i": -1})
        assert check_integrity(store) == []


def stray_files(folder: Path) -> list[str]:
    """Anything next to the database but itself, its backup and its lock (a torn temp file)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("crash.json"))


# -- 2. concurrency -----------------------------------------------------------------------------


def test_four_processes_make_a_thousand_changes_and_nothing_is_lost(
    tmp_path: Path, demo_file: Path, workers: list[Worker]
) -> None:
    """4 processes x 250 use cases on one file at once (the Admin requests access to 1,000
    accounts): every request and its pending link is there, and the activity log has exactly
    one event for each."""
    db = tmp_path / "bc.json"
    copy_database(demo_file, db)
    tags, count = [f"w{n}" for n in range(4)], 250
    for tag in tags:
        workers.append(Worker(str(db), "request", tag, str(count)))
    run_together(workers, count)
    wanted = {f"{tag}.{i}" for tag in tags for i in range(count)}
    with Store(db, readonly=True) as store:
        assert check_integrity(store) == []
        repo = Repository(store)
        requested = [r.handle for r in repo.all(AuthorizationRequest) if r.handle in wanted]
        pending = {
            link.asset_id
            for link in repo.find(
                AssetLink, bc_id=NORTHWIND, relation_status=RelationStatus.PENDING
            )
        }
        events = [
            e.activity_log
            for e in repo.all(AuditEvent)
            if "requested access to @w" in e.activity_log
        ]
    assert sorted(requested) == sorted(wanted)
    assert wanted <= pending
    assert len(events) == 1000
    assert {log.split(" to @")[1].split(" ")[0] for log in events} == wanted


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
