"""Payment cards: what a number says about itself (brand, checksum) and whether it has expired.

Only the facts a Business Center may keep leave this module — brand, last four digits, expiry
and holder. The full number and the security code are checked and dropped here, and no error
message ever repeats them, so they cannot reach the database, the audit log or the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bc_tui.domain import labels, validation
from bc_tui.domain.errors import ValidationError

#: Brand, the number prefixes (as inclusive ranges of the leading digits) and valid lengths.
_BRANDS: tuple[tuple[str, tuple[tuple[int, int], ...], tuple[int, ...]], ...] = (
    ("Amex", ((34, 34), (37, 37)), (15,)),
    ("Visa", ((4, 4),), (13, 16, 19)),
    ("Mastercard", ((51, 55), (2221, 2720)), (16,)),
    ("Discover", ((6011, 6011), (644, 649), (65, 65)), (16, 17, 18, 19)),
    ("JCB", ((3528, 3589),), (16, 17, 18, 19)),
    ("UnionPay", ((62, 62),), (16, 17, 18, 19)),
    ("Diners Club", ((300, 305), (36, 36), (38, 39)), (14, 15, 16, 17, 18, 19)),
)
BRAND_NAMES = tuple(name for name, _, _ in _BRANDS)

#: How far ahead an expiry date may be; further is a typing mistake, not a card.
MAX_YEARS_AHEAD = 20


@dataclass(frozen=True, slots=True)
class CardFacts:
    """What may be stored about a card."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int
    holder: str


def digits_of(number: str) -> str:
    """The digits of a card number as people type it (spaces and dashes allowed)."""
    compact = "".join(ch for ch in number if ch not in " -")
    if not compact:
        raise ValidationError("card number", "is empty", "type the 13–19 digits on the card")
    if not (compact.isascii() and compact.isdigit()):
        raise ValidationError(
            "card number", "has characters other than digits", "type digits, spaces or dashes"
        )
    if not 13 <= len(compact) <= 19:
        raise ValidationError(
            "card number", f"has {labels.count(len(compact), 'digit')}", "cards have 13 to 19"
        )
    return compact


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every card number carries: catches one wrong or two swapped digits."""
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def brand_of(digits: str) -> str | None:
    """The card brand the leading digits and length belong to, or None."""
    for name, ranges, lengths in _BRANDS:
        for low, high in ranges:
            width = len(str(low))
            if low <= int(digits[:width]) <= high and len(digits) in lengths:
                return name
    return None


def parse_expiry(text: str) -> tuple[int, int]:
    """'MM/YY' or 'MM/YYYY' (a space or dash also separates) as (month, four-digit year)."""
    cleaned = text.strip().replace(" ", "").replace("-", "/")
    month_text, sep, year_text = cleaned.partition("/")
    if not sep and len(cleaned) in (4, 6) and cleaned.isdigit():
        month_text, year_text = cleaned[:2], cleaned[2:]
    if not (
        month_text.isascii()
        and month_text.isdigit()
        and year_text.isascii()
        and year_text.isdigit()
        and len(month_text) <= 2
        and len(year_text) in (2, 4)
    ):
        raise ValidationError("expiry", "is not a month and year", "type it as MM/YY, e.g. 08/28")
    year = int(year_text)
    return int(month_text), year + 2000 if year < 100 else year


def check_expiry(month: int, year: int, today: date) -> tuple[int, int]:
    """A card is good through the last day of its expiry month."""
    if not 1 <= month <= 12:
        raise ValidationError("expiry", f"month {month} does not exist", "use 01 to 12")
    if (year, month) < (today.year, today.month):
        raise ValidationError(
            "expiry", f"{month:02d}/{year} is in the past", "use a card that has not expired"
        )
    if year > today.year + MAX_YEARS_AHEAD:
        raise ValidationError(
            "expiry", f"{year} is too far ahead", f"cards expire within {MAX_YEARS_AHEAD} years"
        )
    return month, year


def check_card(number: str, expiry: str, security_code: str, holder: str, today: date) -> CardFacts:
    """Validate everything typed for a card, in the order the form asks for it (an empty
    form was told of its expiry first, not of the number the cursor was in), and keep only
    what may be stored."""
    digits = digits_of(number)
    if not luhn_ok(digits):
        raise ValidationError(
            "card number", "fails the card checksum", "check for a mistyped or swapped digit"
        )
    brand = brand_of(digits)
    if brand is None:
        raise ValidationError(
            "card number",
            "is not from a card brand TikTok accepts",
            "use " + ", ".join(BRAND_NAMES[:-1]) + " or " + BRAND_NAMES[-1],
        )
    exp_month, exp_year = check_expiry(*parse_expiry(expiry), today)
    code_length = 4 if brand == "Amex" else 3
    code = security_code.strip()
    if not (code.isascii() and code.isdigit() and len(code) == code_length):
        raise ValidationError(
            "security code", "is not valid", f"type the {code_length} digits on the card"
        )
    name = validation.text("cardholder name", holder, max_length=60)
    return CardFacts(brand, digits[-4:], exp_month, exp_year, name)


def card_label(brand: str, last4: str) -> str:
    """How a stored card is named everywhere: 'Visa •••• 4242'."""
    return f"{brand} •••• {last4}"
