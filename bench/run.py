"""Store benchmark: one service change at scale, as a ratio against stock TinyDB in this run.

Prints figures; asserts nothing (timings are noisy on shared machines). Usage:

    python bench/run.py [--accounts 10000] [--repeat 20]

Baseline: stock TinyDB (JSONStorage) updating one document in a file of the same size, which
re-reads and re-writes the whole file per operation. Measured: bc-tui's store doing a real
service change (revoke access: link update + assignment removal + audit event, one commit).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tinydb import Query, TinyDB

from bc_tui.clock import FakeClock
from bc_tui.domain.models import AssetLink, RelationStatus
from bc_tui.ids import SeededIds
from bc_tui.services import Actor, Services
from bc_tui.services.seed import generate
from bc_tui.store.database import Store


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bc.json"
        clock = FakeClock()
        services = Services(Store(path), clock, SeededIds(5))
        seeded = generate(
            services.repo, clock, seed=5, accounts=args.accounts, members=args.members, events=0
        )
        actor = Actor(seeded.user_id, seeded.bc_id)
        handles = [
            link.asset_id
            for link in services.repo.find(AssetLink, relation_status=RelationStatus.BOUND)
        ][: args.repeat]
        size_mb = path.stat().st_size / 1e6

        ours = []
        for handle in handles:
            start = time.perf_counter()
            services.center.remove_tiktok_account(actor, handle)
            ours.append(time.perf_counter() - start)

        stock_path = Path(folder) / "stock.json"
        stock_path.write_bytes(path.read_bytes())
        stock = TinyDB(stock_path)
        table = stock.table("asset_links")
        baseline = []
        for handle in handles:
            start = time.perf_counter()
            table.update({"relation_status": "UNBOUND"}, Query().asset_id == handle)
            baseline.append(time.perf_counter() - start)
        stock.close()

    base_ms, ours_ms = _median_ms(baseline), _median_ms(ours)
    print(f"database: {args.accounts} accounts, {args.members} members, {size_mb:.1f} MB")
    print(f"stock TinyDB, one update (baseline): {base_ms:8.1f} ms")
    print(f"bc-tui, one whole service change:     {ours_ms:8.1f} ms")
    print(f"ratio (bc-tui / baseline):            {ours_ms / base_ms:8.2f}")


if __name__ == "__main__":
    main()
