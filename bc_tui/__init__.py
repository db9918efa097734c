"""bc-tui: TikTok Business Center in a terminal."""

__version__ = "0.1.0"
