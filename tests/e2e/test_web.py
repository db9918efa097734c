"""`bc-tui web` serves its page on loopback (each tab then runs the app like `bc-tui`)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_web_server_serves_its_page_on_loopback_and_stops(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "bc_tui", "web", "--demo"),
            *("--db", str(tmp_path / "demo.json"), "--port", str(port)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        page = ""
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    assert reply.status == 200
                    page = reply.read().decode()
            except OSError:  # still starting: wait a little, noticing if it died instead
                with contextlib.suppress(subprocess.TimeoutExpired):
                    server.wait(timeout=0.2)
                    raise AssertionError(server.stdout.read().decode()) from None
        assert "bc-tui" in page, "no page within 30 s"
        assert "/ws" in page  # the terminal connects back over a websocket
    finally:
        server.terminate()
        assert server.wait(timeout=15) is not None
