"""Money as people type it, turned into integer minor units (never floats).

Amounts in bc-tui are whole cents: '1,250.5' is 125050. The text is read digit by digit, so
no binary fraction ever rounds a balance.
"""

from __future__ import annotations

import re

from bc_tui.domain.errors import ValidationError

#: The largest single transfer bc-tui accepts: 10 billion in the major unit.
MAX_MINOR = 10**12

#: Digits, with commas only between groups of three after a first group that is not 0
#: ('1,250'; '0,500' is a decimal comma), then maybe a dot and decimals.
_AMOUNT = re.compile(r"([1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.(\d*))?")


def parse_amount(text: str, field: str = "amount") -> int:
    """A positive amount with at most 2 decimals ('1,250.50', '3', '.5'), as minor units.

    A comma is taken only where it separates thousands: '12,50' (a decimal comma) or '1,2,3'
    is refused rather than read as 1,250 or 123, a hundred times what was meant."""
    cleaned = text.strip()
    if cleaned.startswith("."):
        cleaned = "0" + cleaned
    if not cleaned:
        raise ValidationError(field, "is empty", "type an amount, e.g. 250.00")
    if cleaned.startswith("-"):
        raise ValidationError(field, "must be more than zero", "type a positive amount")
    match = _AMOUNT.fullmatch(cleaned) if cleaned.isascii() else None
    if (
        match is None
        and "," in cleaned
        and cleaned.isascii()
        and _AMOUNT.fullmatch(cleaned.replace(",", ""))
    ):
        raise ValidationError(
            field,
            "has a comma that does not separate thousands",
            "use a dot for decimals and commas only between thousands, e.g. 1,250.50",
        )
    if match is None:
        raise ValidationError(field, "is not an amount", "type digits, e.g. 250.00")
    whole, cents = match.group(1).replace(",", ""), match.group(2) or ""
    if len(cents) > 2:
        raise ValidationError(field, "has more than 2 decimals", "round it to cents")
    if len(whole) > 13:
        raise ValidationError(field, "is too large", "transfer at most 10,000,000,000.00")
    minor = int(whole) * 100 + int(cents.ljust(2, "0"))
    if minor <= 0:
        raise ValidationError(field, "must be more than zero", "type a positive amount")
    if minor > MAX_MINOR:
        raise ValidationError(field, "is too large", "transfer at most 10,000,000,000.00")
    return minor
