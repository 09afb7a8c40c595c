"""Reading numbers people and scripts type into addresses and forms, without surprises.

`str.isdigit()` accepts "²" and "١٢", which `int()` then refuses or reads as another number,
and an id beyond 64 bits overflows the database. These helpers give None instead.
"""

from __future__ import annotations

# The largest value a BigAutoField (and PostgreSQL's bigint) holds.
MAX_ID = 2**63 - 1


def parse_id(text: object) -> int | None:
    """A record id written in ASCII digits, within the database's range; None otherwise."""
    if not isinstance(text, str) or not (text.isascii() and text.isdecimal()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def parse_int(text: object, *, low: int, high: int) -> int | None:
    """A whole number in ASCII digits (an optional minus sign) between `low` and `high`."""
    if not isinstance(text, str):
        return None
    digits = text.removeprefix("-")
    if not digits or not (digits.isascii() and digits.isdecimal()) or len(digits) > 19:
        return None
    value = int(text)
    return value if low <= value <= high else None
