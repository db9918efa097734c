"""A separate process that writes to a bc-tui database, for tests/unit/test_store_processes.py.

Run as ``python store_worker.py DB MODE ...``:

* ``DB insert TAG N``: print ``ready``, wait for a line on stdin (a start barrier so two
  workers really overlap), then make N transactions that each insert ``{"tag", "i"}``; print
  ``ok I`` after each commit.
* ``DB loop TAG``: insert forever (each document padded so writes take a while), printing
  ``ok I`` after each commit, flushed, so the test knows exactly what was committed before it
  kills the process.
* ``DB hold``: take the database's lock, print ``held``, and keep it until stdin closes.

Every line is flushed at once: the parent reads it as a report of something already done.
"""

from __future__ import annotations

import itertools
import sys

import filelock

from bc_tui.store import Store, lock_path


def say(line: str) -> None:
    """Report to the parent; flushed so the report is out before the next step starts."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    db, mode, *rest = argv
    if mode == "hold":
        with filelock.FileLock(str(lock_path(db))):
            say("held")
            sys.stdin.read()
        return 0
    store = Store(db, lock_timeout=30)
    if mode == "insert":
        tag, count = rest[0], int(rest[1])
        say("ready")
        sys.stdin.readline()
        for i in range(count):
            with store.transaction() as tx:
                tx.table("docs").insert({"tag": tag, "i": i})
            say(f"ok {i}")
        return 0
    if mode == "loop":
        tag = rest[0]
        padding = "x" * 2000
        for i in itertools.count():
            with store.transaction() as tx:
                tx.table("docs").insert({"tag": tag, "i": i, "pad": padding})
                tx.table("counter").upsert({"n": i}, lambda doc: True)
            say(f"ok {i}")
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
