"""Options of `bc-tui ssh`, the host key, and the choices made per session (role, colours, env).

Nothing here imports asyncssh at module level: the CLI builds its parser from this module even
where the optional `ssh` extra is not installed, and says how to install it only when the
server is actually asked to start.
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import platformdirs

if TYPE_CHECKING:
    from asyncssh import SSHKey

AuthMode = Literal["none", "password", "keys"]
ColorChoice = Literal["auto", "truecolor", "256", "standard"]

DEFAULT_PORT = 2222
DEFAULT_MAX_SESSIONS = 8
DEFAULT_IDLE_TIMEOUT = 900.0
PASSWORD_ENV = "BC_TUI_SSH_PASSWORD"
HOST_KEY_NAME = "ssh_host_ed25519_key"

# The login name is the role: it is the one thing every ssh client lets a person choose.
ROLES = ("admin", "phone")

# Terminals that render 24-bit colour but are often reached without COLORTERM (OpenSSH does
# not forward COLORTERM unless both sides are configured to).
TRUECOLOR_TERMS = frozenset(
    {
        "xterm-kitty",
        "xterm-ghostty",
        "ghostty",
        "wezterm",
        "alacritty",
        "foot",
        "foot-extra",
        "contour",
        "rio",
        "iterm2",
        "xterm-direct",
        "tmux-direct",
    }
)

# Server-side variables the child needs to find the same data, state and log folders.
SERVER_ENV_PASSED = (
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_RUNTIME_DIR",
    "TZ",
)
_SAFE_VALUE = re.compile(r"[A-Za-z0-9._@+:=-]{1,64}")


class ConfigError(Exception):
    """A setting that makes the server refuse to start; the message is one line for a person."""


@dataclass(frozen=True)
class SshOptions:
    """Everything `bc-tui ssh` was asked for, checked by `validate()` before anything binds."""

    db: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    host_key: Path | None = None
    auth: AuthMode = "none"
    password: str | None = None
    authorized_keys: Path | None = None
    insecure_demo: bool = False
    max_sessions: int = DEFAULT_MAX_SESSIONS
    idle_timeout: float | None = DEFAULT_IDLE_TIMEOUT
    max_session_time: float | None = None
    color_system: ColorChoice = "auto"
    qr_ttl: int | None = None
    # How long a child gets between SIGHUP and SIGKILL.
    grace: float = 2.0
    python: str = field(default_factory=lambda: sys.executable)

    def host_key_path(self) -> Path:
        return self.host_key or Path(platformdirs.user_state_dir("bc-tui")) / HOST_KEY_NAME

    def validate(self) -> None:
        """Refuse unsafe or incomplete combinations with one line that says what to do."""
        if self.auth == "none" and not is_loopback(self.host) and not self.insecure_demo:
            raise ConfigError(
                f"refusing --auth none on {self.host}: anyone who can reach it gets in. "
                "Use --auth password or --auth keys, or add --insecure-demo if you mean it"
            )
        if self.auth == "password" and not self.password:
            raise ConfigError(f"--auth password needs the password in ${PASSWORD_ENV}")
        if self.auth == "keys" and self.authorized_keys is None:
            raise ConfigError("--auth keys needs --authorized-keys PATH")
        if self.authorized_keys is not None and not self.authorized_keys.is_file():
            raise ConfigError(f"authorized keys file {self.authorized_keys} does not exist")
        if self.max_sessions < 1:
            raise ConfigError("--max-sessions must be at least 1")

    def child_argv(self, role: str) -> list[str]:
        """The ordinary command a person would type for this role, with the server's Python."""
        db = str(self.db.resolve())
        if role == "phone":
            return [self.python, "-m", "bc_tui", "phone", "--db", db]
        argv = [self.python, "-m", "bc_tui", "--db", db]
        if self.qr_ttl is not None:
            argv += ["--qr-ttl", str(self.qr_ttl)]
        return argv


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clean(value: str | None) -> str | None:
    """A client-sent value only if it looks like a terminal name or locale, nothing longer."""
    if value is None or not _SAFE_VALUE.fullmatch(value):
        return None
    return value


def choose_color_system(choice: ColorChoice, term: str | None, colorterm: str | None) -> str:
    """What TEXTUAL_COLOR_SYSTEM the child gets.

    `auto` cannot ask the client's terminal (the child's Textual only sees a pty), so it goes by
    what the client told: COLORTERM, else a terminal name known to do 24-bit; 256 colours is the
    safe floor every terminal people ssh from today renders.
    """
    if choice != "auto":
        return choice
    if (colorterm or "").lower() in {"truecolor", "24bit"}:
        return "truecolor"
    name = (term or "").lower()
    if name in TRUECOLOR_TERMS or name.endswith("-direct") or "truecolor" in name:
        return "truecolor"
    return "256"


def child_env(
    client_env: Mapping[str, str],
    term_type: str | None,
    color: ColorChoice,
    server_env: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The child's whole environment, built from nothing rather than filtered from ours.

    A visitor may set only TERM, COLORTERM and LANG (anything else, PYTHONPATH or LD_PRELOAD
    say, would let them change what code the server runs); the server passes its PATH, HOME and XDG
    folders so the child finds the same log/state folders, and the Textual switches that suit
    a remote terminal.
    """
    server_env = os.environ if server_env is None else server_env
    env = {
        "PATH": server_env.get("PATH", os.defpath),
        "HOME": server_env.get("HOME", "/"),
    }
    for name in SERVER_ENV_PASSED:
        if name in server_env:
            env[name] = server_env[name]
    term = _clean(term_type) or _clean(client_env.get("TERM")) or "xterm-256color"
    colorterm = _clean(client_env.get("COLORTERM"))
    env["TERM"] = term
    if colorterm:
        env["COLORTERM"] = colorterm
    env["LANG"] = _clean(client_env.get("LANG")) or "C.UTF-8"
    env["TEXTUAL_COLOR_SYSTEM"] = choose_color_system(color, term, colorterm)
    # The kitty keyboard protocol is negotiated by escape codes; through ssh, tmux or an old
    # client a half-understood mode leaves the visitor's terminal typing garbage after we
    # hang up. Plain xterm keys carry everything the app binds.
    env["TEXTUAL_DISABLE_KITTY_KEY"] = "1"
    return env


def load_or_create_host_key(path: Path) -> SSHKey:
    """The server's ed25519 key: generated on first start, then the same one for ever.

    Visitors' ssh clients remember the key; a new one every start would teach them to click
    through the "host key changed" warning. The file is created 0600 and linked into place
    without overwriting, so two servers started at once end up sharing one key.
    """
    import asyncssh

    if path.exists():
        try:
            return asyncssh.read_private_key(path)
        except (OSError, ValueError, asyncssh.KeyImportError) as error:
            raise ConfigError(f"cannot read host key {path}: {error}") from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="bc-tui ssh host key")
    data = key.export_private_key("openssh")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another server won the race: use its key
        finally:
            temp.unlink(missing_ok=True)
        return asyncssh.read_private_key(path)
    except OSError as error:
        raise ConfigError(f"cannot write host key {path}: {error.strerror or error}") from None


def fingerprint(key: SSHKey) -> str:
    """SHA256 fingerprint, as `ssh` shows it when it first meets the server."""
    return key.get_fingerprint("sha256")
