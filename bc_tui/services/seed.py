"""Fill a database: the demo Business Center from `data/demo.json`, or a generated one of any
size (for benchmarks and tests), deterministic by seed.

Seeding writes the records directly in one transaction; it is not a use case, so it logs no
audit events of its own (the fixture carries its history).
"""

from __future__ import annotations

import calendar
import json
import random
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from bc_tui.clock import Clock
from bc_tui.domain import models as m
from bc_tui.domain.errors import Conflict
from bc_tui.ids import SeededIds
from bc_tui.store.records import TABLES, from_doc
from bc_tui.store.repository import Repository


@dataclass(frozen=True, slots=True)
class Seeded:
    """Who to act as after seeding: the demo user in the demo Business Center."""

    user_id: str
    bc_id: str


def demo_fixture() -> dict[str, Any]:
    return json.loads(resources.files("bc_tui.data").joinpath("demo.json").read_text("utf-8"))


def _shifted(obj: Any, delta: timedelta, months: int) -> Any:
    """`obj` with its times moved by `delta`; an invoice by `months` whole months instead,
    since it bills a calendar month (moved by days, October's ran from the 2nd to November
    1st when the demo started late in the day), and its id (INV-2026-10-0057) names that
    month."""
    if isinstance(obj, m.Invoice):
        start = _add_months(obj.period_start, months)
        number = obj.invoice_id.rpartition("-")[2]
        return replace(
            obj,
            invoice_id=f"INV-{start:%Y-%m}-{number}",
            period_start=start,
            period_end=_add_months(obj.period_end, months),
            due_at=_add_months(obj.due_at, months),
        )
    changes = {
        f.name: getattr(obj, f.name) + delta
        for f in fields(obj)
        if isinstance(getattr(obj, f.name), datetime)
    }
    return replace(obj, **changes) if changes else obj


def _add_months(when: datetime, months: int) -> datetime:
    """`when` in the month `months` later, on the same day (the last day for the last day of
    a month, or where the month is shorter), at the same time."""
    year, month = divmod(when.year * 12 + when.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    was_last = when.day == calendar.monthrange(when.year, when.month)[1]
    return when.replace(year=year, month=month + 1, day=last if was_last else min(when.day, last))


def _require_empty(repo: Repository) -> None:
    if repo.count(m.BusinessCenter):
        raise Conflict(
            f"{repo.store.path} already holds data; seed into a new file (pass another --db)."
        )


def load_demo(repo: Repository, clock: Clock) -> Seeded:
    """Write the demo fixture, its times moved so that its "now" is the clock's now."""
    _require_empty(repo)
    fixture = demo_fixture()
    now, as_of = clock.now(), datetime.fromisoformat(fixture["as_of"])
    delta = now - as_of
    months = (now.year - as_of.year) * 12 + now.month - as_of.month
    records = [
        _shifted(from_doc(cls, doc), delta, months)
        for cls, table in TABLES.items()
        for doc in fixture.get(table, [])
    ]
    with repo.writing() as writer:
        writer.insert_many(records)
    return Seeded(user_id=fixture["demo_user_id"], bc_id=fixture["demo_bc_id"])


_FIRST = ["Ava", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hugo", "Isla", "Jonas", "Kira"]
_LAST = ["Chen", "Okafor", "Ruiz", "Novak", "Sato", "Berg", "Haddad", "Kowalski", "Lund", "Mehta"]
_WORDS = ["north", "lumen", "pixel", "harbor", "maple", "nova", "echo", "terra", "vivid", "zen"]
_KINDS = ["coffee", "studio", "outdoors", "beauty", "gaming", "eats", "music", "labs", "fit"]
_REGIONS = ["US", "GB", "DE", "CA", "AU", "FR", "BR", "JP", "ID", "MX"]


def generate(
    repo: Repository, clock: Clock, *, seed: int, accounts: int, members: int, events: int
) -> Seeded:
    """A realistic Business Center with `accounts` TikTok accounts, `members` members and
    `events` audit events; the same seed gives the same database."""
    _require_empty(repo)
    rng = random.Random(seed)
    ids = SeededIds(seed)
    now = clock.now()
    center = m.BusinessCenter(
        bc_id=ids.new_id(),
        name="Generated Agency",
        company="Generated Agency Inc.",
        currency="USD",
        timezone="UTC",
        type="AGENCY",
    )
    records: list[Any] = [center]
    people: list[m.User] = []
    for index in range(max(members, 2)):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        user = m.User(
            ids.new_id(), f"{first} {last}", f"{first}.{last}.{index}@example.com".lower()
        )
        people.append(user)
        admin = index < 2 or rng.random() < 0.05
        records += [
            user,
            m.Member(
                bc_id=center.bc_id,
                user_id=user.user_id,
                user_role=m.UserRole.ADMIN if admin else m.UserRole.STANDARD,
                relation_status=(
                    m.MemberStatus.PENDING
                    if index >= 2 and rng.random() < 0.05
                    else m.MemberStatus.BOUND
                ),
                finance_role=rng.choice(
                    [None, None, None, m.FinanceRole.MANAGER, m.FinanceRole.ANALYST]
                ),
            ),
        ]
    statuses = list(m.RelationStatus)
    for index in range(accounts):
        handle = f"{rng.choice(_WORDS)}.{rng.choice(_KINDS)}{index}"
        claimed = rng.random() < 0.2
        status = m.RelationStatus.BOUND if rng.random() < 0.8 else rng.choice(statuses)
        scopes = rng.choice(
            [(m.TtAccountRole.POST,), (m.TtAccountRole.LIVE,), tuple(m.TtAccountRole)]
        )
        records += [
            m.TikTokAccount(
                handle, handle.split(".")[0].title(), f"{handle}@example.com", rng.choice(_REGIONS)
            ),
            m.AssetLink(
                bc_id=center.bc_id,
                asset_type=m.AssetType.TT_ACCOUNT,
                asset_id=handle,
                relation_type=m.RelationType.OWNER_BC
                if claimed
                else m.RelationType.OWNER_INDIVIDUAL,
                relation_status=status,
                tt_account_roles=tuple(m.TtAccountRole) if claimed else scopes,
                updated_at=now - timedelta(minutes=rng.randrange(1, 500_000)),
            ),
        ]
        if status is m.RelationStatus.BOUND and rng.random() < 0.3:
            records.append(
                m.Assignment(
                    center.bc_id,
                    rng.choice(people).user_id,
                    m.AssetType.TT_ACCOUNT,
                    handle,
                    rng.choice([m.AssetRole.OPERATOR, m.AssetRole.ANALYST]),
                )
            )
    for index in range(events):
        records.append(
            m.AuditEvent(
                event_id=ids.new_id(),
                bc_id=center.bc_id,
                time=now - timedelta(seconds=(events - index) * 37),
                operator_id=rng.choice(people[:2]).user_id,
                activity_type=rng.choice(list(m.ActivityType)),
                activity_log=f"Generated event {index}",
            )
        )
    with repo.writing() as writer:
        writer.insert_many(records)
    return Seeded(user_id=people[0].user_id, bc_id=center.bc_id)
