"""Errors the domain and services raise, each carrying a sentence a person can act on.

The screens, the CLI and the SSH server show `str(error)` as it is, so every message says what
happened and what to do next.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected, explainable failure of a use case."""


class PermissionDenied(DomainError):
    """The acting user's role does not allow the action."""


class ValidationError(DomainError):
    """Input broke a rule; names the field and how to fix it."""

    def __init__(self, field: str, problem: str, hint: str = "") -> None:
        self.field = field
        self.problem = problem
        self.hint = hint
        super().__init__(f"{field}: {problem}" + (f" — {hint}" if hint else ""))


class NotFound(DomainError):
    """The thing named does not exist (or is not visible in this Business Center)."""


class Conflict(DomainError):
    """The change clashes with the current state (already a member, already claimed, ...)."""
