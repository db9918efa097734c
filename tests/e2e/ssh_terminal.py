"""A visitor for the SSH tests: an asyncssh client session rendered on a pyte screen.

The client never reads ~/.ssh, an agent or a known_hosts file, and every wait is bounded: a
test that waits for text fails with the screen as it was, never hangs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

import asyncssh
import pyte

WAIT = 30.0  # generous for two cores under xdist; a passing wait returns as soon as it can


async def connect(
    port: int,
    username: str,
    password: str | None = None,
    client_key: asyncssh.SSHKey | None = None,
) -> asyncssh.SSHClientConnection:
    """A client that reads nothing of the user's: no ~/.ssh, no agent, no known_hosts."""
    return await asyncio.wait_for(
        asyncssh.connect(
            "127.0.0.1",
            port,
            username=username,
            password=password,
            known_hosts=None,
            agent_path=None,
            client_keys=[client_key] if client_key else None,
            config=None,
            gss_auth=False,
            gss_kex=False,
        ),
        WAIT,
    )


class Terminal:
    """One interactive session: bytes from the server go into a pyte screen as they arrive."""

    def __init__(self, process: asyncssh.SSHClientProcess[bytes], columns: int, rows: int) -> None:
        self.process = process
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.stderr = bytearray()
        self._changed = asyncio.Event()
        self._pumps = [
            asyncio.ensure_future(self._pump(process.stdout, self.raw, feed=True)),
            asyncio.ensure_future(self._pump(process.stderr, self.stderr, feed=False)),
        ]

    @classmethod
    async def open(
        cls, conn: asyncssh.SSHClientConnection, columns: int = 100, rows: int = 30
    ) -> Terminal:
        process = await asyncio.wait_for(
            conn.create_process(
                term_type="xterm-256color", term_size=(columns, rows), encoding=None
            ),
            WAIT,
        )
        return cls(process, columns, rows)

    async def _pump(self, reader: asyncssh.SSHReader[bytes], into: bytearray, feed: bool) -> None:
        with contextlib.suppress(asyncssh.Error, ConnectionError):
            while data := await reader.read(65536):
                into += data
                if feed:
                    self.stream.feed(data)
                self._changed.set()
        self._changed.set()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def colour_of(self, needle: str) -> str | None:
        """The foreground colour where `needle` first shows: how a test sees focus move."""
        for y, line in enumerate(self.screen.display):
            x = line.find(needle)
            if x >= 0:
                return self.screen.buffer[y][x].fg
        return None

    async def wait_until(
        self, check: Callable[[str], bool], what: str, timeout: float = WAIT
    ) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if check(text):
                return text
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; screen:\n{text}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))

    async def wait_for(self, *needles: str, timeout: float = WAIT) -> str:
        return await self.wait_until(
            lambda text: all(needle in text for needle in needles), repr(needles), timeout
        )

    async def wait_gone(self, needle: str, timeout: float = WAIT) -> str:
        return await self.wait_until(lambda text: needle not in text, f"{needle!r} gone", timeout)

    def send(self, keys: str | bytes) -> None:
        self.process.stdin.write(keys.encode() if isinstance(keys, str) else keys)

    def resize(self, columns: int, rows: int) -> None:
        self.screen.resize(rows, columns)
        self.process.change_terminal_size(columns, rows)

    async def exit_status(self, timeout: float = WAIT) -> int | None:
        await asyncio.wait_for(self.process.wait_closed(), timeout)
        await asyncio.wait_for(asyncio.gather(*self._pumps), timeout)
        return self.process.exit_status

    def close(self) -> None:
        for pump in self._pumps:
            pump.cancel()
        self.process.close()
