"""A separate process that writes to a bc-tui database, for tests/reliability.

Run as ``python store_worker.py DB MODE ...``:

* ``DB insert TAG N``: print ``ready``, wait for a line on stdin (a start barrier so the
  workers really overlap), then make N transactions that each insert ``{"tag", "i"}``; print
  ``ok I`` after each commit.
* ``DB request TAG N``: the same barrier, then N real use cases: the demo's Admin requests
  access to ``@TAG.I`` (a request, a pending link and an audit event in one transaction).
* ``DB zygote``: import everything once, print ``ready``, then for each stdin line ``go ROUND``
  fork a child that runs the crash loop of ``crash_op`` (printing ``pid P`` first and
  ``ok I`` after each committed use case) until it is killed; print ``exit STATUS`` when the
  child is gone. Forking keeps 200 kills cheap: no interpreter start-up per kill.
* ``DB hold``: take the database's lock, print ``held``, and keep it until stdin closes.

Every line is flushed at once: the parent reads it as a report of something already done.
"""

from __future__ import annotations

import itertools
import os
import sys
import zlib

import filelock

from bc_tui.clock import FakeClock
from bc_tui.domain.models import (
    AssetRole,
    AssetType,
    RequestKind,
    TtAccountRole,
    User,
    UserRole,
)
from bc_tui.ids import SeededIds
from bc_tui.services import Actor, Services
from bc_tui.services.seed import demo_fixture
from bc_tui.store import Store, lock_path

_FIXTURE = demo_fixture()
NORTHWIND = _FIXTURE["demo_bc_id"]
ADMIN = Actor(user_id=_FIXTURE["demo_user_id"], bc_id=NORTHWIND)
ACCOUNT = "northwind.coffee"

#: The crash loop walks each person through these steps, in this order, then starts on the
#: next person. ``crash_state`` names what the database holds after a number of them.
STEPS = ("invite", "accept", "assign", "remove")
STEPS_PER_PERSON = len(STEPS)


def crash_email(round_no: int, person: int) -> str:
    return f"r{round_no}-{person}@crash.test"


def crash_op(services: Services, round_no: int, i: int) -> None:
    """The i-th use case of a crash round: one service call, one transaction, one audit."""
    person, step = divmod(i, STEPS_PER_PERSON)
    email = crash_email(round_no, person)
    if STEPS[step] == "invite":
        services.members.invite_members(ADMIN, [email], UserRole.STANDARD)
        return
    user = services.repo.first(User, user_email=email)
    assert user is not None, email
    if STEPS[step] == "accept":
        services.members.accept_invitation(Actor(user.user_id, NORTHWIND))
    elif STEPS[step] == "assign":
        services.center.assign_member(
            ADMIN, user.user_id, AssetType.TT_ACCOUNT, ACCOUNT, AssetRole.ANALYST
        )
    else:
        services.members.remove_member(ADMIN, user.user_id)


def say(line: str) -> None:
    """Report to the parent; flushed so the report is out before the next step starts."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _crash_child(db: str, round_no: int) -> None:
    """Runs in the forked child: open the database and change it until killed."""
    say(f"pid {os.getpid()}")
    services = Services(Store(db, lock_timeout=30), FakeClock(), SeededIds(10_000 + round_no))
    for i in itertools.count():
        crash_op(services, round_no, i)
        say(f"ok {i}")


def _zygote(db: str) -> int:
    say("ready")
    for line in sys.stdin:
        round_no = int(line.split()[1])
        pid = os.fork()
        if pid == 0:  # the child never returns: it runs until the test kills it
            try:
                _crash_child(db, round_no)
            finally:
                os._exit(70)
        _, status = os.waitpid(pid, 0)
        say(f"exit {status}")
    return 0


def main(argv: list[str]) -> int:
    db, mode, *rest = argv
    if mode == "hold":
        with filelock.FileLock(str(lock_path(db))):
            say("held")
            sys.stdin.read()
        return 0
    if mode == "zygote":
        return _zygote(db)
    store = Store(db, lock_timeout=30)
    if mode in ("insert", "request"):
        tag, count = rest[0], int(rest[1])
        services = Services(store, FakeClock(), SeededIds(zlib.crc32(tag.encode())))
        say("ready")
        sys.stdin.readline()
        for i in range(count):
            if mode == "request":
                services.linking.request_authorization(
                    ADMIN, f"{tag}.{i}", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
                )
            else:
                with store.transaction() as tx:
                    tx.table("docs").insert({"tag": tag, "i": i})
            say(f"ok {i}")
        return 0
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
