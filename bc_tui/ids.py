"""Ids and tokens come from an injected source, so tests and snapshots are reproducible.

TikTok's own ids (Business Center, advertiser, user) are long numeric strings; ours look
the same so the screens read like the real product.
"""

from __future__ import annotations

import random
from typing import Protocol


class IdSource(Protocol):
    def new_id(self) -> str:
        """A 19-digit numeric id, like a TikTok Business Center or advertiser id."""
        ...

    def new_token(self) -> str:
        """A single-use, URL-safe token for an authorization request."""
        ...


class RandomIds:
    """Unpredictable ids and tokens for real use. (`secrets` is imported on first use: it
    loads OpenSSL, ~2 ms of start-up that the first frame does not need.)"""

    def new_id(self) -> str:
        import secrets

        return str(secrets.randbelow(9 * 10**18) + 10**18)

    def new_token(self) -> str:
        import secrets

        return secrets.token_urlsafe(12)


class SeededIds:
    """Deterministic ids and tokens, for tests, snapshots and `bc-tui seed --seed N`."""

    _ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)

    def new_id(self) -> str:
        return str(self._random.randrange(10**18, 10**19))

    def new_token(self) -> str:
        return "".join(self._random.choice(self._ALPHABET) for _ in range(16))
