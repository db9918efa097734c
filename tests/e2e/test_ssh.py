"""`bc-tui ssh` on loopback: real apps on real ptys, driven by SSH clients, read off pyte screens.

The server runs in the test's event loop on 127.0.0.1, port 0, with its host key and the demo
database in tmp_path; the fixture stops it (and so every session) after each test. The apps
are real child processes: each wait is bounded and fails with the screen it saw.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import pty
import shutil
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncssh
import pyte
import pytest

from bc_tui.clock import SystemClock
from bc_tui.services.seed import load_demo
from bc_tui.ssh.child import PtyChild, set_window_size
from bc_tui.ssh.config import ConfigError, SshOptions, child_env, choose_color_system
from bc_tui.ssh.server import TERMINAL_RESET, DemoServer, serve
from bc_tui.store.database import Store
from bc_tui.store.repository import Repository
from tests.e2e.ssh_terminal import WAIT, Terminal, connect

StartServer = Callable[..., Awaitable[DemoServer]]


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    load_demo(Repository(Store(path)), SystemClock())
    return path


@pytest.fixture
async def start_server(tmp_path: Path, demo_db: Path) -> AsyncIterator[StartServer]:
    servers: list[DemoServer] = []

    async def start(**overrides: object) -> DemoServer:
        settings: dict[str, object] = {
            "db": demo_db,
            "host": "127.0.0.1",
            "port": 0,
            "host_key": tmp_path / "ssh_host_ed25519_key",
            "idle_timeout": None,
            "grace": 1.0,
        }
        settings.update(overrides)
        server = DemoServer(SshOptions(**settings))  # type: ignore[arg-type]
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await asyncio.wait_for(server.stop(), WAIT)
        assert not server.sessions


async def open_app(server: DemoServer, role: str, columns: int = 100, rows: int = 30) -> Terminal:
    conn = await connect(server.port, role)
    return await Terminal.open(conn, columns, rows)


def only_pid(server: DemoServer) -> int:
    [session] = server.sessions
    assert session.pid is not None
    return session.pid


async def spawned_pid(server: DemoServer, timeout: float = WAIT) -> int:
    """The pid of the one session's app, as soon as it is spawned (before it has drawn)."""
    deadline = time.monotonic() + timeout
    while not any(session.pid for session in server.sessions):
        assert time.monotonic() < deadline, "no app was started"
        await asyncio.sleep(0.02)
    return only_pid(server)


async def assert_reaped(pid: int, timeout: float = 10.0) -> None:
    """The child is gone and reaped: a zombie would still answer kill(pid, 0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"child {pid} still exists (running or an unreaped zombie)")


# -- the apps over ssh ---------------------------------------------------------------------


async def test_admin_login_renders_the_business_center(start_server: StartServer) -> None:
    server = await start_server()
    admin = await open_app(server, "admin")
    await admin.wait_for("Northwind Media", "Ava Chen", "? Keys", "^p palette")
    admin.close()


async def test_phone_login_renders_the_phone(start_server: StartServer) -> None:
    server = await start_server()
    phone = await open_app(server, "phone")
    await phone.wait_for("solstice.skin", "Menu")
    phone.close()


async def test_an_approval_on_the_phone_shows_in_the_admin_session(
    start_server: StartServer,
) -> None:
    server = await start_server()
    admin = await open_app(server, "admin")
    await admin.wait_for("Ava Chen")
    admin.send("2")
    await admin.wait_for("accounts ·")
    admin.send("a")
    await admin.wait_for("Add TikTok account")
    admin.send("solstice.skin")
    await admin.wait_for("solstice.skin  ")
    unfocused = admin.colour_of("╭")  # the first option's border: it lights up on focus
    admin.send("\r")
    await admin.wait_until(lambda _: admin.colour_of("╭") != unfocused, "the options focused")
    admin.send("\r")
    await admin.wait_for("Request access to @solstice.skin")
    admin.send("\r")
    await admin.wait_for("Generate QR code")
    admin.send("\r")
    await admin.wait_for("scan to approve", "Waiting for the owner")

    # The owner opens the app once the code is up, as in the real flow. (A phone already on
    # its scanner when a code arrives keeps the keys in its "type the code" box.)
    phone = await open_app(server, "phone")
    await phone.wait_for("1 ≡ Menu")
    assert len(server.sessions) == 2
    # Menu, Settings and privacy, QR code, Scanner, the live code, Authorize.
    for expected in [
        "1 Settings and privacy",
        "1 QR code",
        "1 Scanner",
        "1 Northwind Media: @solstice.skin",
        "1 Authorize",
        "Authorized.",
    ]:
        phone.send("1")
        await phone.wait_for(expected)
    await phone.wait_for("Authorized. Northwind Media")

    # The dialog closes and the row turns Active in one frame; the terminal may be read
    # half-way through writing it (a byte stream over SSH), so wait for both.
    def approved(screen: str) -> bool:
        rows = [line for line in screen.splitlines() if "@solstice.skin" in line]
        return "scan to approve" not in screen and any("Active" in row for row in rows)

    await admin.wait_until(approved, "the QR dialog gone and @solstice.skin Active")
    admin.close()
    phone.close()


async def test_a_resize_is_honoured(start_server: StartServer) -> None:
    server = await start_server()
    admin = await open_app(server, "admin", 100, 30)
    await admin.wait_for("? Keys", "^p palette")
    assert admin.screen.display[29].rstrip().endswith("^p palette")

    admin.resize(120, 40)

    def footer_on_row_40(_: str) -> bool:
        last = admin.screen.display[39].rstrip()
        return last.endswith("^p palette") and len(last) > 100

    await admin.wait_until(footer_on_row_40, "the footer on row 40, wider than 100 columns")
    assert "^p palette" not in admin.screen.display[29]
    admin.close()


async def test_q_quits_with_status_0_and_ctrl_z_does_not_suspend(
    start_server: StartServer,
) -> None:
    server = await start_server()
    admin = await open_app(server, "admin")
    await admin.wait_for("Ava Chen")
    pid = only_pid(server)
    admin.send(b"\x1a")  # ctrl+z: with no signals from keys the app just carries on
    admin.send("3")
    await admin.wait_for("members ·", "i Invite")
    admin.send("q")
    assert await admin.exit_status() == 0
    assert b"\x1b[?1049l" in admin.raw[-200:]  # the app left the alternate screen itself
    await assert_reaped(pid)


async def test_an_abrupt_disconnect_kills_and_reaps_the_app(start_server: StartServer) -> None:
    server = await start_server()
    conn = await connect(server.port, "phone")
    phone = await Terminal.open(conn)
    await phone.wait_for("solstice.skin")
    pid = only_pid(server)
    conn.abort()
    await assert_reaped(pid)
    deadline = time.monotonic() + 5
    while server.sessions and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert not server.sessions


@pytest.mark.parametrize(
    ("limit", "reason"),
    [({"idle_timeout": 1.0}, b"without input"), ({"max_session_time": 1.0}, b"time limit")],
    ids=["idle-timeout", "max-session-time"],
)
async def test_a_time_limit_ends_the_session_and_resets_the_terminal(
    start_server: StartServer, limit: dict[str, float], reason: bytes
) -> None:
    server = await start_server(**limit)
    admin = await open_app(server, "admin")
    pid = await spawned_pid(server)  # the app may not even have drawn before the second is up
    assert await admin.exit_status() == 1
    assert TERMINAL_RESET in admin.raw
    assert reason in admin.raw[admin.raw.rindex(TERMINAL_RESET) :]
    await assert_reaped(pid)


async def test_server_stop_ends_sessions_with_a_reset(start_server: StartServer) -> None:
    server = await start_server()
    admin = await open_app(server, "admin")
    await admin.wait_for("Ava Chen")
    pid = only_pid(server)
    await asyncio.wait_for(server.stop(), WAIT)
    await asyncio.wait_for(admin.process.wait_closed(), WAIT)
    assert TERMINAL_RESET in admin.raw
    assert b"shutting down" in admin.raw
    await assert_reaped(pid, timeout=1)  # stop() returns only once every app is reaped


# -- refusals --------------------------------------------------------------------------------


async def refusal(server: DemoServer, username: str, **session: object) -> tuple[int, str]:
    conn = await connect(server.port, username)
    async with conn:
        result = await asyncio.wait_for(conn.run(encoding="utf-8", **session), WAIT)  # type: ignore[arg-type]
    return result.exit_status, str(result.stderr)


async def test_a_session_without_a_pty_is_refused(start_server: StartServer) -> None:
    server = await start_server()
    status, message = await refusal(server, "admin")
    assert status == 1
    assert "use ssh -t" in message
    assert len(message.strip().splitlines()) == 1


async def test_a_command_is_refused(start_server: StartServer) -> None:
    server = await start_server()
    status, message = await refusal(server, "admin", command="cat /etc/passwd")
    assert status == 1
    assert "not commands" in message


async def test_an_unknown_login_is_refused(start_server: StartServer) -> None:
    server = await start_server()
    status, message = await refusal(server, "root", term_type="xterm", term_size=(80, 24))
    assert status == 1
    assert "admin@127.0.0.1" in message and "phone@127.0.0.1" in message
    assert not server.sessions


async def test_a_wrong_password_is_refused(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = await start_server(auth="password", password="open sesame")
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "admin", password="wrong guess")
    conn = await connect(server.port, "admin", password="open sesame")
    conn.close()
    # Secrets (tests/reliability/test_secrets.py): no password in the server's log.
    assert caplog.records and "open sesame" not in caplog.text
    assert "wrong guess" not in caplog.text


async def test_only_authorized_keys_get_in(start_server: StartServer, tmp_path: Path) -> None:
    allowed = asyncssh.generate_private_key("ssh-ed25519")
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    keys = tmp_path / "authorized_keys"
    keys.write_bytes(allowed.export_public_key())
    server = await start_server(auth="keys", authorized_keys=keys)
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "admin", client_key=stranger)
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "admin")
    conn = await connect(server.port, "admin", client_key=allowed)
    conn.close()


async def test_sessions_beyond_the_cap_are_refused(start_server: StartServer) -> None:
    server = await start_server(max_sessions=1)
    admin = await open_app(server, "admin")
    await admin.wait_for("Ava Chen")
    status, message = await refusal(server, "phone", term_type="xterm", term_size=(80, 24))
    assert status == 1
    assert "the demo seat is taken right now" in message  # (one seat: not "all 1 seats")
    assert len(server.sessions) == 1
    admin.close()


async def test_port_forwarding_is_refused(start_server: StartServer) -> None:
    server = await start_server()
    async with await connect(server.port, "admin") as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await asyncio.wait_for(conn.open_connection("127.0.0.1", server.port), WAIT)
        with pytest.raises(asyncssh.ChannelListenError):
            await asyncio.wait_for(conn.start_server(lambda *_: None, "127.0.0.1", 0), WAIT)


async def test_the_host_key_is_kept_across_restarts(
    start_server: StartServer, tmp_path: Path
) -> None:
    first = await start_server()
    await first.stop()
    second = await start_server()
    assert first.fingerprint == second.fingerprint
    assert first.fingerprint.startswith("SHA256:")
    assert (tmp_path / "ssh_host_ed25519_key").stat().st_mode & 0o077 == 0


# -- the real OpenSSH client -----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("ssh") is None, reason="OpenSSH client (ssh) not installed")
async def test_openssh_client_runs_the_admin_app_and_quits(start_server: StartServer) -> None:
    server = await start_server()
    master, slave = pty.openpty()
    set_window_size(slave, 100, 30)
    process = await asyncio.create_subprocess_exec(
        "ssh",
        "-tt",
        "-F",
        "/dev/null",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentityAgent=none",
        "-o",
        "PubkeyAuthentication=no",
        "-p",
        str(server.port),
        "admin@127.0.0.1",
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    os.set_blocking(master, False)
    screen = pyte.Screen(100, 30)
    stream = pyte.ByteStream(screen)
    loop = asyncio.get_running_loop()
    arrived = asyncio.Event()

    def readable() -> None:
        try:
            stream.feed(os.read(master, 65536))
        except OSError:
            loop.remove_reader(master)
        arrived.set()

    loop.add_reader(master, readable)
    try:
        deadline = time.monotonic() + WAIT
        while "Ava Chen" not in "\n".join(screen.display):
            assert time.monotonic() < deadline, "\n".join(screen.display)
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), deadline - time.monotonic())
        os.write(master, b"q")
        assert await asyncio.wait_for(process.wait(), WAIT) == 0
    finally:
        loop.remove_reader(master)
        os.close(master)
        if process.returncode is None:
            process.kill()
            await process.wait()


# -- the pty child on its own ----------------------------------------------------------------


async def test_a_paused_reader_holds_the_app_back_until_resumed() -> None:
    """Backpressure: while output is paused the app blocks on a full pty instead of the server
    buffering; on resume every byte arrives, in order, and the app exits normally."""
    size = 1_000_000
    writer = f"import sys; sys.stdout.write('x' * {size}); sys.stdout.flush()"
    child = await PtyChild.spawn([sys.executable, "-c", writer], {"PATH": os.defpath}, 80, 24)
    received = bytearray()
    child.pause_output()
    child.start(received.extend, lambda _full: None)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.shield(child.wait()), 0.5)
    assert received == b""
    child.resume_output()
    assert await asyncio.wait_for(child.wait(), WAIT) == 0
    await child.drain_output(WAIT)
    child.close()
    assert received == b"x" * size


# -- options, colours, environment, the command ----------------------------------------------


def test_a_missing_database_is_refused_and_not_made(tmp_path: Path) -> None:
    """It was made, with its lock file, and then refused for having no Business Center."""
    from bc_tui.ssh import _prepare_database
    from bc_tui.store.errors import DatabaseNotFound

    with pytest.raises(DatabaseNotFound, match=r"does not exist yet\. Try `bc-tui --db \S+ ssh"):
        _prepare_database(tmp_path / "x.json", demo=False)
    assert list(tmp_path.iterdir()) == []
    _prepare_database(tmp_path / "x.json", demo=True)
    assert (tmp_path / "x.json").exists()


def test_auth_none_off_loopback_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--insecure-demo"):
        SshOptions(db=tmp_path / "x.json", host="0.0.0.0").validate()
    SshOptions(db=tmp_path / "x.json", host="0.0.0.0", insecure_demo=True).validate()
    SshOptions(db=tmp_path / "x.json", host="::1").validate()
    with pytest.raises(ConfigError, match="BC_TUI_SSH_PASSWORD"):
        SshOptions(db=tmp_path / "x.json", auth="password").validate()


@pytest.mark.parametrize(
    ("term", "colorterm", "expected"),
    [
        ("xterm-256color", None, "256"),
        ("xterm-256color", "truecolor", "truecolor"),
        ("screen", "24bit", "truecolor"),
        ("xterm-kitty", None, "truecolor"),
        ("xterm", None, "256"),
    ],
)
def test_auto_colour_follows_what_the_client_says(
    term: str, colorterm: str | None, expected: str
) -> None:
    assert choose_color_system("auto", term, colorterm) == expected
    assert choose_color_system("standard", term, colorterm) == "standard"


def test_only_whitelisted_client_variables_reach_the_app() -> None:
    client = {
        "LANG": "fr_FR.UTF-8",
        "COLORTERM": "truecolor",
        "PYTHONPATH": "/tmp/evil",
        "LD_PRELOAD": "/tmp/evil.so",
        "TEXTUAL_ALLOW_SIGNALS": "1",
    }
    server = {"PATH": "/usr/bin", "HOME": "/home/demo", "XDG_DATA_HOME": "/d", "SECRET": "x"}
    env = child_env(client, "xterm-256color", "auto", server)
    assert env == {
        "PATH": "/usr/bin",
        "HOME": "/home/demo",
        "XDG_DATA_HOME": "/d",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "fr_FR.UTF-8",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TEXTUAL_DISABLE_KITTY_KEY": "1",
    }
    assert child_env({"LANG": "x; rm -rf /"}, "xterm\n", "256", server)["LANG"] == "C.UTF-8"


def test_the_command_without_asyncssh_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bc_tui.cli import main

    monkeypatch.setitem(sys.modules, "asyncssh", None)  # import asyncssh -> ImportError
    assert main(["ssh", "--demo"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "bc-tui: the SSH server needs asyncssh: pip install 'bc-tui[ssh]'"


def test_the_command_refuses_auth_none_on_a_public_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bc_tui.cli import main

    assert main(["ssh", "--demo", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "--auth password" in err


async def test_the_server_says_its_sessions_in_words(tmp_path: Path, demo_db: Path) -> None:
    """`bc-tui ssh` with one seat said "up to 1 session" but, stopped, "1 sessions ended"."""
    out = io.StringIO()
    options = SshOptions(
        db=demo_db,
        host="127.0.0.1",
        port=0,
        host_key=tmp_path / "ssh_host_ed25519_key",
        idle_timeout=None,
        grace=1.0,
        max_sessions=1,
    )
    serving = asyncio.create_task(serve(options, out))
    deadline = time.monotonic() + WAIT
    while "Ctrl+C stops the server." not in out.getvalue():
        assert time.monotonic() < deadline and not serving.done(), out.getvalue()
        await asyncio.sleep(0.01)
    port = int(out.getvalue().split(" port ", 1)[1].split()[0])
    admin = await Terminal.open(await connect(port, "admin"), 100, 30)
    await admin.wait_for("Ava Chen")
    os.kill(os.getpid(), signal.SIGTERM)  # (serve's own handler takes it)
    assert await asyncio.wait_for(serving, WAIT) == 0
    said = out.getvalue()
    assert "up to 1 session)" in said
    assert "bc-tui ssh: stopped (1 session ended)" in said
