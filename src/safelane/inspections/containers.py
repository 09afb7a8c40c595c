"""Container numbers (ISO 6346): four letters (owner code and category U, J or Z), six digits
of serial number and a check digit worked out from the other ten characters."""

from __future__ import annotations

import re

SHAPE = re.compile(r"^[A-Z]{3}[UJZ][0-9]{7}$")


def _letter_values() -> dict[str, int]:
    # A is 10, and the values skip multiples of 11 (11, 22, 33) so no letter equals another's sum.
    values, n = {}, 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if n % 11 == 0:
            n += 1
        values[letter] = n
        n += 1
    return values


LETTERS = _letter_values()


def normalise(number: str) -> str:
    """As people type it, with spaces, dashes and lower case: "msku 123456-7" → "MSKU1234567"."""
    return re.sub(r"[\s\-./]", "", number).upper()


def check_digit(first_ten: str) -> int:
    total = sum((LETTERS[c] if c.isalpha() else int(c)) * 2**i for i, c in enumerate(first_ten))
    return total % 11 % 10


def is_valid(number: str) -> bool:
    """Whether a normalised number has the ISO 6346 shape and its check digit is right."""
    return bool(SHAPE.match(number)) and check_digit(number[:10]) == int(number[10])
