"""`bc-tui ssh`: the demo server. Visitors `ssh admin@host` or `ssh phone@host` and get the app.

Layout: `config` (options, host key, per-session colour and environment; no asyncssh needed to
import it), `child` (one app process on its own pty), `server` (asyncssh: auth, roles, limits,
teardown). asyncssh is the optional `ssh` extra, imported only when the server starts.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from bc_tui.argtypes import bounded
from bc_tui.ssh.config import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_PORT,
    PASSWORD_ENV,
    ConfigError,
    SshOptions,
)

INSTALL_HINT = "the SSH server needs asyncssh: pip install 'bc-tui[ssh]'"


_port = bounded(int, 0, 65_535, what="a port number", limits="0 to 65535; 0 = any free")
_positive = bounded(int, 1, 1_000_000, what="a whole number", limits="1 to 1,000,000")
_duration = bounded(float, 0.0, 7 * 86_400.0, what="a number of seconds", limits="0 to 7 days")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `bc-tui ssh` options (the CLI owns the parser; this module owns what they mean)."""
    # (SUPPRESS: absent here, the --db or --demo given before `ssh` holds)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $BC_TUI_DB or per-user)",
    )
    where.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="serve the demo database"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 = any free port)",
    )
    parser.add_argument(
        "--host-key",
        type=Path,
        metavar="PATH",
        help="ed25519 host key file (created if missing; default per-user)",
    )
    parser.add_argument(
        "--auth",
        choices=("none", "password", "keys"),
        default="none",
        help=f"none (loopback only), password (from ${PASSWORD_ENV}) or keys",
    )
    parser.add_argument(
        "--authorized-keys", type=Path, metavar="PATH", help="public keys allowed with --auth keys"
    )
    parser.add_argument(
        "--insecure-demo",
        action="store_true",
        help="allow --auth none on a non-loopback address",
    )
    parser.add_argument(
        "--max-sessions",
        type=_positive,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"sessions at once (default {DEFAULT_MAX_SESSIONS})",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_duration,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"end a session after this long without input (default {DEFAULT_IDLE_TIMEOUT:g}; "
        "0 = never)",
    )
    parser.add_argument(
        "--max-session-time",
        type=_duration,
        metavar="SECONDS",
        help="end any session after this long (default: no limit)",
    )
    parser.add_argument(
        "--color-system",
        choices=("auto", "truecolor", "256", "standard"),
        default="auto",
        help="colours sent to visitors (auto: truecolor if their terminal says so, else 256)",
    )


def _prepare_database(path: Path, demo: bool) -> None:
    """The database the sessions share must hold a Business Center; the demo's is made here."""
    from bc_tui.cli import start_hint
    from bc_tui.clock import SystemClock
    from bc_tui.ids import RandomIds
    from bc_tui.services import Services
    from bc_tui.services import seed as seeding
    from bc_tui.store.database import Store
    from bc_tui.store.errors import refuse_missing

    if not demo:
        refuse_missing(path, start_hint(path, " ssh"))
    services = Services(Store(path), SystemClock(), RandomIds())
    if services.views.default_actor() is None:
        if not demo:
            raise ConfigError(f"{path} has no Business Center yet. {start_hint(path, ' ssh')}")
        seeding.load_demo(services.repo, SystemClock())


def run(args: argparse.Namespace) -> int:
    """`bc-tui ssh`: check the options, prepare the database, serve until stopped."""
    try:
        import asyncssh  # noqa: F401
    except ImportError:
        print(f"bc-tui: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from bc_tui.cli import chosen_db_path
    from bc_tui.domain.models import DEFAULT_QR_TTL
    from bc_tui.ssh.server import serve
    from bc_tui.store.errors import StoreError

    qr_ttl = getattr(args, "qr_ttl", DEFAULT_QR_TTL)
    options = SshOptions(
        db=chosen_db_path(args),
        host=args.host,
        port=args.port,
        host_key=args.host_key,
        auth=args.auth,
        password=os.environ.get(PASSWORD_ENV) or None,
        authorized_keys=args.authorized_keys,
        insecure_demo=args.insecure_demo,
        max_sessions=args.max_sessions,
        idle_timeout=args.idle_timeout or None,
        max_session_time=args.max_session_time or None,
        color_system=args.color_system,
        # `bc-tui --qr-ttl N ssh ...` reaches the admin app; the default needs no flag.
        qr_ttl=qr_ttl if qr_ttl != DEFAULT_QR_TTL else None,
    )
    try:
        options.validate()  # before the demo database is written: a refusal changes nothing
        _prepare_database(options.db, args.demo)
    except (ConfigError, StoreError) as error:  # (a missing or unusable database too)
        print(f"bc-tui: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    try:
        return asyncio.run(serve(options))
    except ConfigError as error:
        print(f"bc-tui: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        print(f"bc-tui: cannot listen on {args.host} port {args.port}: {reason}", file=sys.stderr)
        return 1


__all__ = ["INSTALL_HINT", "SshOptions", "add_arguments", "run"]
