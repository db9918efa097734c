"""Textual stylesheets, one per screen, shipped as package data."""

from __future__ import annotations

from pathlib import Path


def stylesheet(name: str) -> str:
    """The absolute path of a stylesheet, right both in a checkout and when installed (as
    files: Textual reads stylesheets by path). Not `importlib.resources`, whose import
    (zipfile and all) was ~3 ms of start-up."""
    return str(Path(__file__).with_name(name))
