"""The asyncssh server: who may log in, which app each login gets, and when a session ends.

The parent process never runs an app itself. Each accepted session spawns the ordinary
`python -m bc_tui ...` on a pty (`child.PtyChild`) and this module only routes bytes, sizes
and endings between that child and the SSH channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal
import socket
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

import asyncssh

from bc_tui.domain import labels
from bc_tui.ssh.child import PtyChild
from bc_tui.ssh.config import (
    ROLES,
    SshOptions,
    child_env,
    fingerprint,
    load_or_create_host_key,
)

if TYPE_CHECKING:
    from asyncssh import SSHKey

log = logging.getLogger("bc_tui.ssh")

# What a visitor's terminal needs to be usable again after an app that was cut off mid-frame.
TERMINAL_RESET = (
    b"\x18"  # CAN: abandon any escape sequence the app was cut off in the middle of
    b"\x1b[?2026l"  # end synchronized output, or the terminal keeps holding the last frame
    b"\x1b[<u"  # leave the kitty keyboard mode
    b"\x1b[?1049l"  # leave the alternate screen
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l"  # no more mouse reports
    b"\x1b[?2004l\x1b[?1004l"  # no bracketed paste, no focus reports
    b"\x1b[?7h"  # line wrap back on
    b"\x1b[?25h"  # show the cursor
)
# Frames of a full-screen app are tens of KiB; past this the pty is no longer read, so a slow
# client slows its own app down instead of growing the server's memory.
_WRITE_HIGH_WATER = 256 * 1024
_WRITE_LOW_WATER = 64 * 1024
# After the app exits, how long to wait for its last output (its own terminal restore).
_DRAIN_TIMEOUT = 1.0


class Session(asyncssh.SSHServerSession[bytes]):
    """One SSH session channel: refused with a one-line reason, or one app on a pty."""

    def __init__(self, server: DemoServer, username: str, peer: str) -> None:
        self.server = server
        self.username = username
        self.peer = peer
        self.role: str | None = None
        self.child: PtyChild | None = None
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._term_type: str | None = None
        self._size = (80, 24, 0, 0)
        self._command: str | None = None
        self._early_input: list[bytes] = []
        self._last_input = time.monotonic()
        self._ended = asyncio.Event()
        self._end_message: str | None = None
        self._hangup = False
        self._writing_paused = False
        self._task: asyncio.Task[None] | None = None
        self._timers: list[asyncio.TimerHandle] = []

    @property
    def pid(self) -> int | None:
        return self.child.pid if self.child else None

    # -- requests before the session starts ------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan
        chan.set_write_buffer_limits(high=_WRITE_HIGH_WATER, low=_WRITE_LOW_WATER)

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Mapping[int, int]
    ) -> bool:
        width, height, xpixels, ypixels = term_size
        self._term_type = term_type
        self._size = (width or 80, height or 24, xpixels, ypixels)  # 0 means "unknown"
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only so the refusal can say why in words rather than "exec request failed".
        self._command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # sftp and friends: no files are served here

    def break_received(self, msec: int) -> bool:
        return False

    # -- the session ----------------------------------------------------------------------

    def session_started(self) -> None:
        reason = self._refusal()
        if reason:
            log.info("refused %s@%s: %s", self.username, self.peer, reason)
            self._refuse(reason)
            return
        self.role = self.username
        self.server.sessions.add(self)  # before any await: the cap is checked and taken at once
        self._task = asyncio.get_running_loop().create_task(self._run())

    def _refusal(self) -> str | None:
        host = self.server.join_host
        port = self.server.port
        if self._command is not None:
            return (
                "this server runs the app, not commands: "
                f"connect without one, e.g. ssh -t -p {port} admin@{host}"
            )
        if self._term_type is None:
            return f"the app needs a terminal: use ssh -t (ssh -t -p {port} admin@{host})"
        if self.username not in ROLES:
            return (
                f"no such login {self.username!r}: use admin@{host} for the Business Center "
                f"or phone@{host} for the account owner's phone"
            )
        if self.server.closing:
            return "the server is shutting down"
        if len(self.server.sessions) >= self.server.options.max_sessions:
            seats = self.server.options.max_sessions
            taken = "the demo seat is" if seats == 1 else f"all {seats:,} demo seats are"
            return f"{taken} taken right now; please try again in a few minutes"
        return None

    def _refuse(self, reason: str) -> None:
        assert self._chan is not None
        self._chan.write_stderr(f"bc-tui: {reason}\r\n".encode())
        self._chan.exit(1)

    async def _run(self) -> None:
        assert self._chan is not None and self.role is not None
        options = self.server.options
        chan = self._chan
        columns, rows, _, _ = self._size
        child: PtyChild | None = None
        try:
            if self._hangup:  # the client left before the app was even started
                return
            env = child_env(chan.get_environment(), self._term_type, options.color_system)
            try:
                child = await PtyChild.spawn(options.child_argv(self.role), env, columns, rows)
            except OSError as error:
                log.error("could not start the %s app: %s", self.role, error)
                self._refuse("the app could not be started; please tell the person running it")
                return
            self.child = child
            log.info(
                "session %s@%s started: pid %d, %dx%d, %s colour",
                self.role,
                self.peer,
                child.pid,
                columns,
                rows,
                env["TEXTUAL_COLOR_SYSTEM"],
            )
            child.start(self._forward_output, self._input_full)
            if self._writing_paused:  # the channel filled up while the app was starting
                child.pause_output()
            if self._size[:2] != (columns, rows):  # resized while the app was starting
                child.resize(*self._size)
            for data in self._early_input:
                child.write(data)
            self._early_input.clear()
            self._start_timers()
            await self._supervise(child)
        except Exception:
            # A bug here must not leave a visitor staring at a frozen screen or an app behind.
            log.exception("session %s@%s failed", self.role, self.peer)
            if child is not None:
                await child.finish(options.grace)
            if not chan.is_closing():
                with contextlib.suppress(OSError):
                    chan.write(TERMINAL_RESET + b"\r\nbc-tui: internal error; session ended\r\n")
                chan.exit(1)
        finally:
            for timer in self._timers:
                timer.cancel()
            self.server.sessions.discard(self)

    async def _supervise(self, child: PtyChild) -> None:
        """Wait for the app to exit or for the session to be ended, whichever comes first."""
        assert self._chan is not None
        chan = self._chan
        options = self.server.options
        exited = asyncio.ensure_future(child.wait())
        ended = asyncio.ensure_future(self._ended.wait())
        await asyncio.wait({exited, ended}, return_when=asyncio.FIRST_COMPLETED)
        ended.cancel()
        if exited.done():
            status = exited.result()
            await child.drain_output(_DRAIN_TIMEOUT)
            child.close()
            log.info("session %s@%s: app exited with %d", self.role, self.peer, status)
            if not self._hangup:
                if status >= 0:
                    chan.exit(status)
                else:
                    chan.exit_with_signal(signal.Signals(-status).name.removeprefix("SIG"))
            return
        exited.cancel()
        if self._hangup:
            status = await child.finish(options.grace)
            log.info("session %s@%s: client left; app ended (%d)", self.role, self.peer, status)
            return
        # Ended by the server (idle, time limit, shutdown): the visitor's terminal must come
        # back usable, and they should read why.
        child.stop_output()
        if not chan.is_closing():
            chan.write(TERMINAL_RESET + f"\r\nbc-tui: {self._end_message}\r\n".encode())
        status = await child.finish(options.grace)
        log.info("session %s@%s: %s (app %d)", self.role, self.peer, self._end_message, status)
        chan.exit(1)

    def end(self, message: str) -> None:
        """End the session from the server side with a reason shown to the visitor."""
        if not self._ended.is_set():
            self._end_message = message
            self._ended.set()

    async def wait_done(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)

    # -- timers ---------------------------------------------------------------------------

    def _start_timers(self) -> None:
        loop = asyncio.get_running_loop()
        options = self.server.options
        if options.idle_timeout:  # first, so _check_idle can re-arm it in place
            self._timers.append(loop.call_later(options.idle_timeout, self._check_idle))
        if options.max_session_time:
            limit = options.max_session_time
            self._timers.append(
                loop.call_later(limit, self.end, f"session time limit reached ({limit:g} s)")
            )

    def _check_idle(self) -> None:
        """Re-armed for the time left rather than reset on every key: one timer per session."""
        timeout = self.server.options.idle_timeout
        assert timeout
        remaining = self._last_input + timeout - time.monotonic()
        if remaining <= 0:
            self.end(f"session ended after {timeout:g} s without input")
        else:
            loop = asyncio.get_running_loop()
            self._timers[0] = loop.call_later(remaining, self._check_idle)

    # -- traffic --------------------------------------------------------------------------

    def _forward_output(self, data: bytes) -> None:
        assert self._chan is not None
        if not self._chan.is_closing():
            self._chan.write(data)

    def _input_full(self, full: bool) -> None:
        assert self._chan is not None
        if full:
            self._chan.pause_reading()
        else:
            self._chan.resume_reading()

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self._last_input = time.monotonic()
        if self.child is not None:
            self.child.write(data)
        elif sum(map(len, self._early_input)) < 64 * 1024:
            self._early_input.append(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._last_input = time.monotonic()
        self._size = (width, height, pixwidth, pixheight)
        if self.child is not None:
            self.child.resize(width, height, pixwidth, pixheight)

    def eof_received(self) -> bool:
        return True  # the visitor closed their input; the app keeps drawing until it quits

    def pause_writing(self) -> None:
        self._writing_paused = True
        if self.child is not None:
            self.child.pause_output()

    def resume_writing(self) -> None:
        self._writing_paused = False
        if self.child is not None:
            self.child.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._ended.is_set():
            self._hangup = True
            self._ended.set()


class _Connection(asyncssh.SSHServer):
    """One client connection: authentication and session requests; no forwarding of any kind."""

    def __init__(self, server: DemoServer) -> None:
        self._server = server
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._server.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._server.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return self._server.options.auth != "none"

    def password_auth_supported(self) -> bool:
        return self._server.options.auth == "password"

    def validate_password(self, username: str, password: str) -> bool:
        expected = self._server.options.password
        if self._server.options.auth != "password" or not expected:
            return False
        return hmac.compare_digest(password.encode(), expected.encode())

    def kbdint_auth_supported(self) -> bool:
        return False

    def session_requested(self) -> Session:
        assert self._conn is not None
        username = self._conn.get_extra_info("username") or ""
        peer = self._conn.get_extra_info("peername") or ("?", 0)
        return Session(self._server, username, f"{peer[0]}:{peer[1]}")

    # Port forwarding, X11 and agent forwarding: the defaults already refuse the first; the
    # create_server options below switch the other two off. Spelt out so nobody relies on it.
    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


class DemoServer:
    """The listening server and its live sessions; `start()`, then `stop()` to end it all."""

    def __init__(self, options: SshOptions) -> None:
        options.validate()
        self.options = options
        self.sessions: set[Session] = set()
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.closing = False
        self.port = options.port
        self.host_key: SSHKey | None = None
        self._acceptor: asyncssh.SSHAcceptor | None = None

    @property
    def fingerprint(self) -> str:
        assert self.host_key is not None
        return fingerprint(self.host_key)

    @property
    def join_host(self) -> str:
        """The host a visitor types: the bound address, or this machine's name if bound to all."""
        host = self.options.host
        if host in {"", "0.0.0.0", "::"}:
            return socket.gethostname()
        return host

    def join_lines(self) -> list[str]:
        port = f"-p {self.port} " if self.port != 22 else ""
        return [f"ssh {port}{role}@{self.join_host}" for role in ROLES]

    async def start(self) -> None:
        options = self.options
        self.host_key = load_or_create_host_key(options.host_key_path())
        authorized = (
            asyncssh.read_authorized_keys(str(options.authorized_keys))
            if options.auth == "keys" and options.authorized_keys
            else None
        )
        self._acceptor = await asyncssh.create_server(
            lambda: _Connection(self),
            options.host,
            options.port,
            server_host_keys=[self.host_key],
            authorized_client_keys=authorized,
            public_key_auth=options.auth == "keys",
            password_auth=options.auth == "password",
            kbdint_auth=False,
            gss_host=None,
            gss_kex=False,
            gss_auth=False,
            encoding=None,
            line_editor=False,
            allow_pty=True,
            x11_forwarding=False,
            agent_forwarding=False,
            login_timeout=30,
            keepalive_interval=30,
            keepalive_count_max=4,
        )
        ports = {address[1] for address in self._acceptor.get_addresses()}
        self.port = min(ports) if ports else options.port

    async def stop(self) -> None:
        """Stop listening, end every session as "the server is shutting down", reap them all."""
        self.closing = True
        if self._acceptor is not None:
            self._acceptor.close()
        sessions = list(self.sessions)
        for session in sessions:
            session.end("the server is shutting down")
        if sessions:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*(s.wait_done() for s in sessions), return_exceptions=True),
                    self.options.grace + 5,
                )
        for conn in list(self.connections):
            conn.close()
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.wait_closed(), 2)
        if self._acceptor is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._acceptor.wait_closed(), 2)


async def serve(options: SshOptions, out: TextIO | None = None) -> int:
    """Run until SIGINT/SIGTERM, printing how to connect; the entry point of `bc-tui ssh`."""
    out = out or sys.stdout
    server = DemoServer(options)
    await server.start()
    key_path = options.host_key_path()
    print(
        f"bc-tui ssh: serving {options.db} on {options.host} port {server.port} "
        f"(auth {options.auth}, up to {labels.count(options.max_sessions, 'session')})",
        file=out,
    )
    print(f"host key: ED25519 {server.fingerprint} ({key_path})", file=out)
    admin, phone = server.join_lines()
    print(f"join as the admin: {admin}", file=out)
    print(f"join as the phone: {phone}", file=out)
    print("Ctrl+C stops the server.", file=out, flush=True)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        count = len(server.sessions)
        await server.stop()
        ended = labels.count(count, "session")
        print(f"bc-tui ssh: stopped ({ended} ended)", file=out, flush=True)
    return 0


__all__ = ["TERMINAL_RESET", "DemoServer", "Session", "serve"]
