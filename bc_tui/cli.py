"""The `bc-tui` command: run the app, seed or export a database, create a Business Center.

Every failure a person can cause (bad arguments, a broken or locked database, a rule) ends in
one line on stderr and a non-zero exit; tracebacks only go to the log file.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shlex
import sys
from pathlib import Path
from typing import NoReturn

import platformdirs

from bc_tui import __version__
from bc_tui.argtypes import bounded
from bc_tui.clock import SystemClock
from bc_tui.domain.errors import DomainError
from bc_tui.domain.models import DEFAULT_QR_TTL
from bc_tui.ids import RandomIds
from bc_tui.services import Actor, Services
from bc_tui.store.database import Store
from bc_tui.store.errors import StoreError, refuse_missing
from bc_tui.store.repository import Repository

APP_NAME = "bc-tui"


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def default_db_path() -> Path:
    """BC_TUI_DB, else the per-user data folder."""
    env = os.environ.get("BC_TUI_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "bc.json"


def demo_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "demo.json"


def _build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bc-tui",
        description="TikTok Business Center in a terminal.",
        epilog="Keys inside the app: press ? for all of them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", type=Path, help="database file (default: $BC_TUI_DB or per-user)")
    parser.add_argument(
        "--demo", action="store_true", help="open the demo Business Center (created on first use)"
    )
    parser.add_argument("--user", help="act as this user (email or user ID)")
    parser.add_argument("--bc", help="open this Business Center (ID)")
    parser.add_argument(
        "--qr-ttl",
        type=_seconds,
        default=DEFAULT_QR_TTL,
        metavar="SECONDS",
        help=f"how long a QR code stays valid (default {DEFAULT_QR_TTL})",
    )
    if not with_commands:
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    seed = commands.add_parser("seed", help="write a generated database of any size")
    _where(seed, "new database file to write (required)")
    seed.add_argument("--accounts", type=_count, default=100, help="TikTok accounts (100)")
    seed.add_argument("--members", type=_count, default=20, help="members (20)")
    seed.add_argument("--events", type=_count, default=200, help="activity log events (200)")
    seed.add_argument("--seed", type=int, default=1, help="random seed; same seed, same data")

    export = commands.add_parser("export", help="print the whole state as JSON")
    _where(export, demo="export the demo database")

    init = commands.add_parser("init", help="create a Business Center with you as its Admin")
    _where(init)
    init.add_argument("--name", required=True, help="Business Center name")
    init.add_argument("--company", required=True, help="legal company name")
    init.add_argument("--email", required=True, help="your email")
    init.add_argument("--user-name", required=True, help="your name")
    init.add_argument("--currency", default="USD")
    init.add_argument("--timezone", default="UTC")

    phone = commands.add_parser("phone", help="run the account owner's phone on its own")
    _where(phone, "database file (the admin's)", demo="use the demo database")
    phone.add_argument("--account", help="log this @handle in on the phone and make it active")

    from bc_tui import ssh as ssh_server  # the parser only; asyncssh is imported on start

    ssh_server.add_arguments(commands.add_parser("ssh", help="serve the app to ssh visitors"))

    web = commands.add_parser("web", help="serve the app in a browser (textual-serve)")
    _where(web, demo="serve the demo database")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    web.add_argument("--port", type=_port, default=8000, help="port (8000)")
    web.add_argument("--phone", action="store_true", help="serve the owner's phone instead")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    restore = db_commands.add_parser("restore", help="bring back the automatic backup")
    _where(restore, demo="the demo database's backup")
    check = db_commands.add_parser("check", help="check the database's integrity (read only)")
    _where(check, demo="check the demo database")
    return parser


def _where(command: argparse.ArgumentParser, db: str = "database file", demo: str = "") -> None:
    """A command's --db (and --demo, if it says what it means there). They may also come
    before the command's name (`bc-tui --db X phone`), so when absent after it they must
    not replace what came before: their default is to set nothing (SUPPRESS)."""
    command.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=db)
    if demo:
        command.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help=demo)


def chosen_db_path(args: argparse.Namespace) -> Path:
    """The database a command works on: --db, else the demo's with --demo, else the
    default (BC_TUI_DB or the per-user file)."""
    return args.db or (demo_db_path() if args.demo else default_db_path())


_count = bounded(int, 0, 1_000_000, what="a whole number", limits="0 to 1,000,000")
_port = bounded(int, 1, 65_535, what="a port number", limits="1 to 65535")
_seconds = bounded(int, 10, 86_400, what="a whole number of seconds", limits="10 s to 1 day")


def _fail(message: str) -> int:
    """One line on stderr, with nothing in it the terminal would act on: a rule's message may
    quote what was typed, and a newline, an ANSI escape or a right-to-left override in it
    must show as the escape it is."""
    safe = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in message)
    print(f"bc-tui: {safe}", file=sys.stderr)
    return 1


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """The arguments. Starting the app names no command, so they are parsed first without
    the commands' parsers (building those took ~4 ms of start-up, with the ssh command's
    imports); anything that parser does not take (a command, -h) goes to the whole one."""
    argv = sys.argv[1:] if argv is None else argv
    if not {"-h", "--help"}.intersection(argv):
        args, rest = _build_parser(with_commands=False).parse_known_args(argv)
        if not rest:
            args.command = None
            return args
    return _build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    try:
        return _dispatch(args)
    except (StoreError, DomainError) as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    clock = SystemClock()
    # Each command imports what only it needs: starting the app imports none of it.
    if args.command == "export":
        from bc_tui.services.export import export_state

        store = Store(chosen_db_path(args), readonly=True)
        state = export_state(Repository(store), clock)
        json.dump(state, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if args.command == "seed":
        if args.db is None:
            return _fail("seed writes a new database: name its file with --db PATH.")
        from bc_tui.services.seed import generate

        repo = Repository(Store(args.db))
        generate(
            repo,
            clock,
            seed=args.seed,
            accounts=args.accounts,
            members=args.members,
            events=args.events,
        )
        print(f"Wrote {args.accounts} TikTok accounts and {args.members} members to {args.db}")
        return 0
    if args.command == "init":
        services = Services(Store(chosen_db_path(args)), clock, RandomIds())
        center, _ = services.center.create_business_center(
            args.email, args.user_name, args.name, args.company, args.currency, args.timezone
        )
        print(f"Created {center.name} ({center.bc_id}) in {services.store.path}")
        return 0
    if args.command == "phone":
        return _run_phone(args, clock)
    if args.command == "ssh":
        from bc_tui.ssh import run as run_ssh

        return run_ssh(args)
    if args.command == "web":
        path = chosen_db_path(args)
        if not args.demo:
            refuse_missing(path, start_hint(args.db, " web"))
        _open(path, args, clock)  # (made, with the demo if asked, before serving it)
        from bc_tui.web import serve

        return serve(path, host=args.host, port=args.port, phone=args.phone, qr_ttl=args.qr_ttl)
    if args.command == "db":
        path = chosen_db_path(args)
        if args.db_command == "check":
            return _check(path)
        from bc_tui.store.database import restore_backup

        kept = restore_backup(path)
        print(
            f"Restored {path} from its backup. The file it replaced is kept, with its audit "
            f"events, as {kept} (open it with --db)."
            if kept
            else f"Restored {path} from its backup (there was no file there)."
        )
        return 0
    return _run_app(args, clock)


def _check(path: Path) -> int:
    """`bc-tui db check`: one line per problem and exit 1, or one line saying it is sound."""
    from bc_tui.services.integrity import check_integrity

    with Store(path, readonly=True) as store:
        problems = check_integrity(store)
        documents = sum(len(store.table(name)) for name in store.tables())
    for problem in problems:
        print(f"{path}: {problem}")
    if problems:
        return 1
    print(f"{path} is sound: {documents} documents, every reference resolves.")
    return 0


def _open(
    path: Path,
    args: argparse.Namespace,
    clock: SystemClock,
    *,
    upkeep_later: bool = False,
    **options: int,
) -> Services:
    """The services over `path`; with --demo, the demo is loaded into it first if it is empty.
    `upkeep_later`: as `Store`'s (the app does it once its first frame is up)."""
    services = Services(Store(path, upkeep_later=upkeep_later), clock, RandomIds(), **options)
    if args.demo and services.views.default_actor() is None:
        from bc_tui.services.seed import load_demo

        load_demo(services.repo, clock)
    return services


def _run_phone(args: argparse.Namespace, clock: SystemClock) -> int:
    path = chosen_db_path(args)
    if not (args.demo or args.account):  # (nothing to open: don't make it)
        refuse_missing(path, f"Run `bc-tui{_db_option(args.db)} phone --account @you`.")
    services = _open(path, args, clock)
    phone = (
        services.phone.log_in(args.account)
        if args.account
        else services.phone.device()  # raises NotFound with how to log in
    )
    from bc_tui.phone_app import PhoneApp

    PhoneApp(services, phone.phone_id).run()
    return 0


def _run_app(args: argparse.Namespace, clock: SystemClock) -> int:
    # No cyclic garbage collection until the first screen is up (`ServicesApp._settled` turns
    # it back on): start-up makes a few hundred thousand objects that all stay alive (the
    # parsed file, the first view's rows, the widgets), and at 10,000 accounts the passes
    # that walked them found nothing and cost ~20 ms before the first frame.
    gc.disable()
    try:
        return _start_app(args, clock)
    finally:
        gc.enable()  # (if it ended before its first frame, or `main` was called in-process)


def _db_option(db: Path | None) -> str:
    """` --db PATH` for a command to paste, if a file was named with --db (without it, the
    command works on the default file, not that one)."""
    return f" --db {shlex.quote(str(db))}" if db else ""


def start_hint(db: Path | None, command: str = "") -> str:
    """How to make a database the app can open: at `db` if one was named with --db, for
    `command` (" ssh", " web") if it has its own."""
    at = _db_option(db)
    return (
        f"Try `bc-tui{at}{command} --demo`, or create one with `bc-tui{at} init --name NAME "
        "--company COMPANY --email YOU --user-name 'YOUR NAME'`."
    )


def _start_app(args: argparse.Namespace, clock: SystemClock) -> int:
    path = chosen_db_path(args)
    if not args.demo:
        refuse_missing(path, start_hint(args.db))
    services = _open(path, args, clock, upkeep_later=True, qr_ttl=args.qr_ttl)
    if args.user:
        actor: Actor | None = services.views.find_actor(args.user, args.bc)
    elif args.bc:
        default = services.views.default_actor()
        actor = services.views.find_actor(default.user_id, args.bc) if default else None
    else:
        actor = services.views.default_actor()
    if actor is None:
        return _fail(f"{path} has no Business Center yet. {start_hint(args.db)}")
    from bc_tui.app import CONFIRM_DWELL, BusinessCenterApp, configure_log

    configure_log(Path(platformdirs.user_log_dir(APP_NAME)) / "bc-tui.log")
    BusinessCenterApp(services, actor, build_ahead=True, confirm_dwell=CONFIRM_DWELL).run()
    return 0
