"""Property tests: every well-formed identifier is accepted and normalised to one stable form;
the malformed ones are refused with a message that says what is wrong."""

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from safelane.eligibility.identifiers import (
    CANADIAN_PROVINCE_CODES,
    IdentifierError,
    IdentifierKind,
    normalise,
)

digits = st.text(alphabet=string.digits, min_size=1, max_size=1)
upper = st.sampled_from(string.ascii_uppercase)


def n_digits(n):
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


# The IRS's list of prefixes it has never assigned (irs.gov, "How EINs are assigned and valid
# EIN prefixes"), written out here so that a change in python-stdnum's list shows up.
PREFIXES_THE_IRS_NEVER_ASSIGNED = [
    "00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97",
]  # fmt: skip

valid_ein_prefix = (
    st.integers(min_value=1, max_value=99)
    .map(lambda n: f"{n:02d}")
    .filter(lambda p: p not in PREFIXES_THE_IRS_NEVER_ASSIGNED)
)


@given(prefix=valid_ein_prefix, rest=n_digits(7), dash=st.booleans())
def test_eins_normalise_to_one_form(prefix, rest, dash):
    value = normalise(IdentifierKind.EIN, f"{prefix}{'-' if dash else ''}{rest}")
    assert value == f"{prefix}-{rest}"
    assert normalise(IdentifierKind.EIN, value) == value


def test_an_ein_may_be_written_with_spaces():
    assert normalise(IdentifierKind.EIN, " 12 3456789 ") == "12-3456789"


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


@given(prefix=st.sampled_from(PREFIXES_THE_IRS_NEVER_ASSIGNED), rest=n_digits(7))
def test_ein_prefixes_the_irs_never_assigns_are_refused(prefix, rest):
    message = f"{prefix} is not a prefix the IRS uses for EINs; check the first two digits."
    with pytest.raises(IdentifierError, match=message):
        normalise(IdentifierKind.EIN, f"{prefix}-{rest}")
    with pytest.raises(IdentifierError, match=message):
        normalise(IdentifierKind.IOR_EIN, f"{prefix}-{rest}00")


@given(st.text(max_size=20).filter(lambda s: sum(c.isdigit() for c in s) != 9))
def test_anything_without_nine_digits_is_not_an_ein(text):
    with pytest.raises(IdentifierError):
        normalise(IdentifierKind.EIN, text)


@pytest.mark.parametrize(
    "bad", ["123-456789", "1-23456789", "12--3456789", "12-345678", "AB-3456789"]
)
def test_an_ein_in_another_shape_is_refused(bad):
    with pytest.raises(IdentifierError, match="An EIN has 9 digits, written NN-NNNNNNN"):
        normalise(IdentifierKind.EIN, bad)


@pytest.mark.parametrize("bad", ["12-34567890", "12-3456789A", "12-345678900-"])
def test_an_ior_number_without_its_two_character_suffix_is_refused(bad):
    with pytest.raises(IdentifierError, match="the 9-digit EIN and a 2-character suffix"):
        normalise(IdentifierKind.IOR_EIN, bad)


@given(
    area=st.integers(1, 899).filter(lambda a: a != 666),
    group=st.integers(1, 99),
    serial=st.integers(1, 9999),
    dashes=st.booleans(),
)
def test_social_security_numbers(area, group, serial, dashes):
    expected = f"{area:03d}-{group:02d}-{serial:04d}"
    assume(expected not in {"078-05-1120", "457-55-5462", "219-09-9999"})  # published in ads
    value = normalise(IdentifierKind.IOR_SSN, expected if dashes else expected.replace("-", ""))
    assert value == expected
    assert normalise(IdentifierKind.IOR_SSN, value) == value


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("000-12-3456", "000 cannot begin a Social Security Number."),
        ("666-12-3456", "666 cannot begin a Social Security Number."),
        ("912-12-3456", "912 cannot begin a Social Security Number."),
        ("123-00-4567", "No part of a Social Security Number is all zeros."),
        ("123-45-0000", "No part of a Social Security Number is all zeros."),
        ("078-05-1120", "078-05-1120 is a Social Security Number published in advertising"),
        ("219099999", "219-09-9999 is a Social Security Number published in advertising"),
        ("1234-56-789", "A Social Security Number has 9 digits, written NNN-NN-NNNN."),
        ("123-45-678", "A Social Security Number has 9 digits, written NNN-NN-NNNN."),
    ],
)
def test_impossible_social_security_numbers_say_what_is_wrong(bad, message):
    with pytest.raises(IdentifierError) as refused:
        normalise(IdentifierKind.IOR_SSN, bad)
    assert str(refused.value).startswith(message)


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
        ("", "Enter the MID"),
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


@pytest.mark.parametrize("bad", ["0", "USDOT 000", "123456789", "DOT"])
def test_impossible_dot_numbers_are_refused(bad):
    with pytest.raises(IdentifierError, match="up to 8 digits"):
        normalise(IdentifierKind.USDOT, bad)


rfc_letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZÑ&"
# A person's four letters, never one of the words SAT does not use (none of them ends in X).
person_letters = st.text(alphabet=rfc_letters, min_size=3, max_size=3).map(lambda s: s + "X")
company_letters = st.text(alphabet=rfc_letters, min_size=3, max_size=3)


@given(
    letters=company_letters | person_letters,
    date=st.dates().map(lambda d: d.strftime("%y%m%d")),
    check=st.text(alphabet=string.ascii_uppercase + string.digits, min_size=3, max_size=3),
)
def test_rfcs_have_12_or_13_characters(letters, date, check):
    rfc = letters + date + check
    assert normalise(IdentifierKind.RFC, rfc) == rfc
    assert normalise(IdentifierKind.RFC, f"{letters.lower()}-{date}-{check.lower()}") == rfc
    assert len(rfc) in (12, 13)


@pytest.mark.parametrize(
    ("written", "rfc"),
    [
        ("MAB-930714-8T4", "MAB9307148T4"),
        ("GODE 561231 GR8", "GODE561231GR8"),
        ("ñab930714bt4", "ÑAB930714BT4"),
        ("N\u0303AB930714BT4", "ÑAB930714BT4"),
    ],
)
def test_rfcs_are_normalised_to_capitals_without_separators(written, rfc):
    assert normalise(IdentifierKind.RFC, written) == rfc


def test_an_rfc_whose_check_digit_does_not_match_is_accepted():
    # SAT has issued RFCs like this one, whose last character fails the published algorithm.
    assert normalise(IdentifierKind.RFC, "VACE-460910-SX6") == "VACE460910SX6"


@pytest.mark.parametrize("bad", ["ABC991332XY1", "ABCD990230XY1", "ABC010229XY1"])
def test_an_rfc_with_an_impossible_date_is_refused(bad):
    with pytest.raises(IdentifierError, match=f"{bad[-9:-3]} in the RFC is not a date"):
        normalise(IdentifierKind.RFC, bad)


def test_a_leap_day_is_a_date_in_an_rfc():
    assert normalise(IdentifierKind.RFC, "ABC000229XY1") == "ABC000229XY1"


@pytest.mark.parametrize("word", ["PUTO", "CACA", "MAME"])
def test_an_rfc_never_starts_with_a_word_sat_replaces(word):
    with pytest.raises(IdentifierError, match=f"An RFC never starts with {word}: SAT replaces"):
        normalise(IdentifierKind.RFC, f"{word}800101AB1")


@pytest.mark.parametrize(
    "bad",
    [
        "COMG600703",  # a person's RFC without its last 3 characters
        "ABCDE800101AB1",
        "AB800101AB1",
        "1BC800101AB1",
        "ABC80010AB1C",
        "ABC800101A-B",
        "ABC800101AB!",
    ],
)
def test_an_rfc_in_another_shape_is_refused(bad):
    with pytest.raises(IdentifierError, match="An RFC has 12 characters for a company or 13"):
        normalise(IdentifierKind.RFC, bad)


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


def test_an_unknown_kind_is_refused():
    with pytest.raises(IdentifierError, match="Unknown identifier kind"):
        normalise("passport", "123")


# A good value of each kind whose last character is a digit, and the message that says its
# format is wrong.
ENDS_IN_A_DIGIT = [
    (IdentifierKind.EIN, "12-3456789", "An EIN has 9 digits"),
    (IdentifierKind.IOR_EIN, "12-345678900", "An EIN-based importer number is the 9-digit EIN"),
    (IdentifierKind.IOR_SSN, "123-45-6789", "A Social Security Number has 9 digits"),
    (IdentifierKind.IOR_CBP, "123456-12345", "A CBP-assigned importer number is six digits"),
    (IdentifierKind.DUNS, "123456789", "A DUNS number has 9 digits"),
    (IdentifierKind.MID, "MXACMMAP1234", "A MID holds only letters and digits"),
    (IdentifierKind.USDOT, "123456", "A U.S. DOT number is up to 8 digits"),
    (IdentifierKind.RFC, "MAB9307148T4", "An RFC has 12 characters"),
    (IdentifierKind.SCT, "MX-1234/56", "Enter the SCT permit number as it appears"),
    (IdentifierKind.FMC_ORG, "012345", "An FMC organisation number has 6 digits"),
    (IdentifierKind.FMC_MTO, "987654", "An FMC marine terminal operator number has 6 digits"),
    (IdentifierKind.IATA, "A1", "An IATA airline code is 2 characters"),
    (IdentifierKind.IATA_ORG, "123456", "An IATA organisation number has 6 digits"),
    (IdentifierKind.BROKER_LICENSE, "12345", "A customs broker licence number has 5 digits"),
    (IdentifierKind.FILER_CODE, "A12", "A filer code is 3 letters or digits"),
]
NOT_AN_ASCII_DIGIT = [
    "²",  # superscript two: str.isdigit() says yes
    "\u0661",  # Arabic-Indic one: \d and int() accept it
    "\u06f1",  # extended Arabic-Indic one
    "\u0967",  # Devanagari one
    "\uff11",  # fullwidth one: stdnum reads it as 1
    "\U0001d7cf",  # mathematical bold one: stdnum reads it as 1
]
# Control characters, a zero-width space, a line separator and a lone surrogate.
CONTROL_AND_INVISIBLE = ["\x00", "\x1f", "\x7f", "\t", "\n", "\r", "\u200b", "\u2028", "\ud800"]


@pytest.mark.parametrize(("kind", "good", "message"), ENDS_IN_A_DIGIT)
@pytest.mark.parametrize("char", NOT_AN_ASCII_DIGIT)
def test_a_digit_that_is_not_ascii_is_refused_with_the_format_message(kind, good, message, char):
    assert normalise(kind, good)
    with pytest.raises(IdentifierError, match=message):
        normalise(kind, good[:-1] + char)


@pytest.mark.parametrize(("kind", "good", "message"), ENDS_IN_A_DIGIT)
@pytest.mark.parametrize("char", CONTROL_AND_INVISIBLE)
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_control_character_is_refused_with_the_format_message(kind, good, message, char, where):
    middle = len(good) // 2
    hostile = {
        "start": char + good,
        "middle": good[:middle] + char + good[middle:],
        "end": good + char,
    }[where]
    with pytest.raises(IdentifierError, match=message):
        normalise(kind, hostile)


@pytest.mark.parametrize(
    ("kind", "hostile", "message"),
    [
        # str.upper() turns these into ASCII letters: sharp s -> SS, fi ligature -> FI,
        # dotless i -> I; and a fullwidth A is not an A.
        (IdentifierKind.SCAC, "ABß", "A SCAC is 2 to 4 letters"),
        (IdentifierKind.SCAC, "A\ufb01", "A SCAC is 2 to 4 letters"),
        (IdentifierKind.FILER_CODE, "\u0131AB", "A filer code is 3 letters or digits"),
        (IdentifierKind.IATA, "\uff21B", "An IATA airline code is 2 characters"),
        (IdentifierKind.MID, "MXACMEßMAP1", "A MID holds only letters and digits"),
        (IdentifierKind.RFC, "MAß9307148T4", "An RFC has 12 characters"),
        (IdentifierKind.RFC, "MAÉ9307148T4", "An RFC has 12 characters"),
    ],
)
def test_a_letter_that_is_not_ascii_is_refused_with_the_format_message(kind, hostile, message):
    with pytest.raises(IdentifierError, match=message):
        normalise(kind, hostile)


@pytest.mark.parametrize(
    ("kind", "spaced", "value"),
    [
        (IdentifierKind.EIN, "12\u00a03456789", "12-3456789"),
        (IdentifierKind.IOR_SSN, "123\u200945\u20096789", "123-45-6789"),
        (IdentifierKind.SCAC, "\u3000abcd", "ABCD"),
    ],
)
def test_any_kind_of_space_is_dropped(kind, spaced, value):
    assert normalise(kind, spaced) == value


@given(kind=st.sampled_from(list(IdentifierKind)), text=st.text(max_size=30))
def test_any_text_is_normalised_or_refused_with_a_message(kind, text):
    try:
        value, message = normalise(kind, text), ""
    except IdentifierError as refused:
        value, message = "", str(refused)
    assert value or message
    if value:
        assert value.replace("Ñ", "").isascii()
        assert value.isprintable()
        assert normalise(kind, value) == value
