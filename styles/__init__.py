"""Textual stylesheets, one per screen, shipped as package data."""

from __future__ import annotations

from importlib import resources


def stylesheet(name: str) -> str:
    """The absolute path of a stylesheet, right both in a checkout and when installed."""
    return str(resources.files(__name__).joinpath(name))
