"""`python -m bc_tui` runs the same command as `bc-tui`."""

from bc_tui.cli import main

raise SystemExit(main())
