"""Shared by the reliability tests: the demo Business Center in a file, made once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bc_tui.clock import FakeClock
from bc_tui.ids import SeededIds
from bc_tui.services import Services
from bc_tui.services.seed import load_demo
from bc_tui.store import Store


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo written once per test process; a test copies it rather than seed its own."""
    path = tmp_path_factory.mktemp("demo") / "bc.json"
    services = Services(Store(path), FakeClock(), SeededIds(11))
    load_demo(services.repo, services.clock)
    services.store.close()
    return path
