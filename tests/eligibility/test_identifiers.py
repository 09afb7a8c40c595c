"""Property tests: every well-formed identifier is accepted and normalised to one stable form;
the malformed ones are refused with a message."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safelane.eligibility.identifiers import (
    CANADIAN_PROVINCE_CODES,
    INVALID_EIN_PREFIXES,
    IdentifierError,
    IdentifierKind,
    normalise,
)

digits = st.text(alphabet=string.digits, min_size=1, max_size=1)
upper = st.sampled_from(string.ascii_uppercase)


def n_digits(n):
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


valid_ein_prefix = (
    st.integers(min_value=1, max_value=99)
    .map(lambda n: f"{n:02d}")
    .filter(lambda p: p not in INVALID_EIN_PREFIXES)
)


@given(
    prefix=valid_ein_prefix,
    rest=n_digits(7),
    suffix=st.text(alphabet=string.digits + string.ascii_uppercase, min_size=2, max_size=2),
    dash=st.booleans(),
)
def test_ein_based_ior_numbers_normalise_to_one_form(prefix, rest, suffix, dash):
    raw = f"{prefix}{'-' if dash else ''}{rest}{suffix.lower()}"
    value = normalise(IdentifierKind.IOR_EIN, raw)
    assert value == f"{prefix}-{rest}{suffix}"
    assert normalise(IdentifierKind.IOR_EIN, value) == value


@given(prefix=st.sampled_from(sorted(INVALID_EIN_PREFIXES)), rest=n_digits(7))
def test_ein_prefixes_the_irs_never_assigns_are_refused(prefix, rest):
    with pytest.raises(IdentifierError, match="prefix"):
        normalise(IdentifierKind.EIN, f"{prefix}-{rest}")


@given(st.text(max_size=20).filter(lambda s: sum(c.isdigit() for c in s) != 9))
def test_anything_without_nine_digits_is_not_an_ein(text):
    with pytest.raises(IdentifierError):
        normalise(IdentifierKind.EIN, text)


@given(
    area=st.integers(1, 899).filter(lambda a: a != 666),
    group=st.integers(1, 99),
    serial=st.integers(1, 9999),
)
def test_social_security_numbers(area, group, serial):
    value = normalise(IdentifierKind.IOR_SSN, f"{area:03d}{group:02d}{serial:04d}")
    assert value == f"{area:03d}-{group:02d}-{serial:04d}"


@pytest.mark.parametrize(
    "bad", ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000"]
)
def test_impossible_social_security_numbers_are_refused(bad):
    with pytest.raises(IdentifierError):
        normalise(IdentifierKind.IOR_SSN, bad)


@given(first=n_digits(6), second=n_digits(5))
def test_cbp_assigned_importer_numbers(first, second):
    assert normalise(IdentifierKind.IOR_CBP, first + second) == f"{first}-{second}"


country = st.sampled_from(["MX", "CN", "VN", "US", "DE", *sorted(CANADIAN_PROVINCE_CODES)])


@given(
    country=country,
    name=st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=6),
    number=st.text(alphabet=string.digits, max_size=4),
    city=st.text(alphabet=string.ascii_uppercase, max_size=3),
)
def test_well_formed_mids_are_accepted(country, name, number, city):
    mid = country + name + number + city
    assert normalise(IdentifierKind.MID, mid.lower()) == mid


@pytest.mark.parametrize(
    ("mid", "reason"),
    [
        ("CAACMMAP1234TOR", "province code"),
        ("ZZACMMAP12", "not a country code"),
        ("MXACME-MAP12", "only letters and digits"),
        ("MXAC12", "3 to 6 letters"),
        ("MXACMMAP12345TIJUANA", "at most 15"),
    ],
)
def test_malformed_mids_say_what_is_wrong(mid, reason):
    with pytest.raises(IdentifierError, match=reason):
        normalise(IdentifierKind.MID, mid)


@given(st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=4))
def test_scac_codes_are_two_to_four_letters(code):
    assert normalise(IdentifierKind.SCAC, code.lower()) == code


@given(
    st.text(alphabet=string.ascii_uppercase, min_size=5, max_size=8)
    | st.text(alphabet=string.digits, min_size=2, max_size=4)
)
def test_other_scacs_are_refused(code):
    with pytest.raises(IdentifierError, match="2 to 4 letters"):
        normalise(IdentifierKind.SCAC, code)


@given(st.integers(1, 99_999_999))
def test_dot_numbers(number):
    assert normalise(IdentifierKind.USDOT, f"USDOT {number}") == str(number)


@given(
    letters=st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=4),
    date=st.dates().map(lambda d: d.strftime("%y%m%d")),
    check=st.text(alphabet=string.ascii_uppercase + string.digits, min_size=3, max_size=3),
)
def test_rfcs_have_12_or_13_characters(letters, date, check):
    rfc = letters + date + check
    assert normalise(IdentifierKind.RFC, rfc) == rfc
    assert len(rfc) in (12, 13)


def test_an_rfc_with_an_impossible_date_is_refused():
    with pytest.raises(IdentifierError, match="is not a date"):
        normalise(IdentifierKind.RFC, "ABC991332XY1")


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (IdentifierKind.FMC_ORG, "012345", "12345"),
        (IdentifierKind.FMC_MTO, "987654", "98765A"),
        (IdentifierKind.IATA_ORG, "123456", "1234567"),
        (IdentifierKind.IATA, "AA", "12"),
        (IdentifierKind.BROKER_LICENSE, "12345", "1234"),
        (IdentifierKind.FILER_CODE, "A1B", "A1BC"),
        (IdentifierKind.DUNS, "12-345-6789", "12345678"),
        (IdentifierKind.SCT, "MX-1234/56", "a"),
    ],
)
def test_fixed_formats(kind, good, bad):
    assert normalise(kind, good)
    with pytest.raises(IdentifierError):
        normalise(kind, bad)
