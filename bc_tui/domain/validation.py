"""Input rules, each failing with the field's name and how to fix it.

Text from people is kept verbatim when valid (markup and all; the screens render it literally)
and rejected, with the rule, when it holds control characters or is too long.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bc_tui.domain.errors import ValidationError

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "AUD", "CAD", "SGD", "IDR", "BRL", "MXN")


def text(field: str, value: str, *, max_length: int = 80) -> str:
    """A display name or similar: trimmed, non-empty, no control characters, bounded length."""
    value = value.strip()
    if not value:
        article = "an" if field[0].lower() in "aeiou" else "a"  # (an ad account name)
        raise ValidationError(field, "is empty", f"type {article} {field}")
    if len(value) > max_length:
        raise ValidationError(
            field, f"is {len(value)} characters long", f"use at most {max_length}"
        )
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError(field, "contains control characters", "use printable text only")
    return value


def email(value: str) -> str:
    """An email address, normalised to lower case (invites are matched case-insensitively)."""
    value = value.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValidationError(
            "email", f"{value!r} is not an email address", "e.g. name@company.com"
        )
    return value


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
#: How many email domains Security settings may allow.
MAX_EMAIL_DOMAINS = 20


def email_domains(value: str) -> tuple[str, ...]:
    """The email domains Security settings allow, as typed: separated by commas or spaces,
    "@" before one ignored, in lower case, each once. Empty: any domain."""
    domains: list[str] = []
    for word in re.split(r"[\s,;]+", value.strip().lower()):
        domain = word.removeprefix("@")
        if not domain or domain in domains:
            continue
        if not _DOMAIN.match(domain):
            raise ValidationError(
                "email domains", f"{domain[:40]!r} is not a domain", "e.g. company.com"
            )
        domains.append(domain)
    if len(domains) > MAX_EMAIL_DOMAINS:
        raise ValidationError(
            "email domains", f"{len(domains)} given", f"allow at most {MAX_EMAIL_DOMAINS}"
        )
    return tuple(domains)


def email_domain(address: str) -> str:
    """The domain of a (valid) email address."""
    return address.rpartition("@")[2]


_HANDLE = re.compile(r"^[a-z0-9_.]{2,24}$")
HANDLE_RULE = "2 to 24 letters, digits, _ or ., not all digits, not ending in a period"
#: A profile's address as a browser shows it: https://www.tiktok.com/@mira.makes?lang=en
_PROFILE = re.compile(r"(?:https?://)?(?:www\.|m\.)?tiktok\.com/@([^/?#\s]*)(?:[/?#]\S*)?")


def handle(value: str) -> str:
    """A TikTok handle, without the "@" and in lower case (handles ignore case). A profile's
    address, as copied from a browser, gives its handle."""
    cleaned = value.strip()
    profile = _PROFILE.fullmatch(cleaned)
    if profile is not None:
        cleaned = profile.group(1)
    cleaned = cleaned.removeprefix("@").lower()
    if not cleaned:
        raise ValidationError("handle", "is empty", f"type the account's @handle ({HANDLE_RULE})")
    if not _HANDLE.match(cleaned) or cleaned.isdigit() or cleaned.endswith("."):
        raise ValidationError(
            "handle", f"@{cleaned[:40]} is not a TikTok handle", f"use {HANDLE_RULE}"
        )
    return cleaned


def currency(value: str) -> str:
    value = value.strip().upper()
    if value not in CURRENCIES:
        raise ValidationError(
            "currency", f"{value!r} is not supported", "one of " + ", ".join(CURRENCIES)
        )
    return value


def timezone(value: str) -> str:
    """An IANA time zone's name, as the time zone database spells it, typed in any case:
    "europe/london" is Europe/London (the names are files' names, and on Linux case made
    it no time zone; on macOS it was kept as typed)."""
    named = _zones_by_folded().get(value.strip().casefold())
    if named is None:
        raise ValidationError(
            "timezone", f"{value!r} is not a time zone", "an IANA name such as Europe/London"
        )
    return named


@cache
def _zones_by_folded() -> dict[str, str]:
    """Every time zone's name by its casefolded name (read once, when first needed; so is
    zoneinfo, ~2 ms of imports the app's first frame does not need)."""
    from zoneinfo import available_timezones

    return {name.casefold(): name for name in available_timezones()}


def qr_ttl(seconds: int) -> int:
    """How long a QR code stays valid: a positive number of seconds."""
    if seconds <= 0:
        raise ValidationError("qr-ttl", f"{seconds} s is too short", "use a positive number")
    return seconds
