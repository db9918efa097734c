"""`bc-tui web`: the same app in a browser, through textual-serve (an optional extra).

Each browser tab gets its own app process on the shared database, as with `bc-tui ssh`.
Loopback by default: the page has no login of its own.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path


def serve(path: Path, *, host: str, port: int, phone: bool, qr_ttl: int) -> int:
    """Serve until interrupted. Returns the exit status for the CLI."""
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "bc-tui: the web server needs textual-serve: pip install 'bc-tui[web]'",
            file=sys.stderr,
        )
        return 2
    command = [sys.executable, "-m", "bc_tui", "--db", str(path), "--qr-ttl", str(qr_ttl)]
    if phone:
        command = [sys.executable, "-m", "bc_tui", "phone", "--db", str(path)]
    title = "bc-tui phone" if phone else "bc-tui"
    print(f"Serving {title} for {path} on http://{host}:{port} (ctrl+c stops)", flush=True)
    Server(shlex.join(command), host=host, port=port, title=title).serve()
    return 0
