"""Container numbers: the ISO 6346 check digit."""

import pytest

from safelane.inspections import containers


@pytest.mark.parametrize("number", ["CSQU3054383", "MSKU9070323"])
def test_a_right_number_is_valid(number):
    assert containers.is_valid(number)


@pytest.mark.parametrize(
    "number", ["CSQU3054384", "CSQA3054383", "CSQU305438", "1SQU3054383", "CSQU30543833", ""]
)
def test_a_wrong_digit_or_shape_is_not(number):
    assert not containers.is_valid(number)


def test_typed_numbers_are_normalised():
    assert containers.normalise(" csqu 305438-3 ") == "CSQU3054383"


def test_a_remainder_of_ten_gives_the_digit_zero():
    first_ten = next(
        f"AAAU{n:06d}"
        for n in range(1_000_000)
        if sum((containers.LETTERS.get(c) or int(c)) * 2**i for i, c in enumerate(f"AAAU{n:06d}"))
        % 11
        == 10
    )
    assert containers.is_valid(first_ten + "0")
