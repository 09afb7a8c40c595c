"""Checks of the identifiers a CTPAT application carries. Each check normalises the value and
returns it, or raises IdentifierError with a message that says exactly what is wrong.

Formats follow the program facts (program-facts.md §1); where CBP does not publish a format
(the SCT permit number), the check only refuses what cannot be right. The EIN, the Social
Security Number and the RFC are checked by python-stdnum, which follows their issuers; the
other identifiers have no stdnum module and are checked here.
"""

from __future__ import annotations

import datetime
import re
import string
import unicodedata
from collections.abc import Callable

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.mx import rfc
from stdnum.us import ein, ssn


class IdentifierError(ValueError):
    pass


class IdentifierKind(models.TextChoices):
    IOR_EIN = "ior-ein", gettext_lazy("Importer of Record number (IRS EIN based)")
    IOR_SSN = "ior-ssn", gettext_lazy("Importer of Record number (Social Security Number)")
    IOR_CBP = "ior-cbp", gettext_lazy("Importer of Record number (CBP-assigned)")
    EIN = "ein", gettext_lazy("Employer Identification Number (EIN)")
    DUNS = "duns", gettext_lazy("DUNS number")
    MID = "mid", gettext_lazy("Manufacturer Identification Code (MID)")
    SCAC = "scac", gettext_lazy("Standard Carrier Alpha Code (SCAC)")
    USDOT = "usdot", gettext_lazy("U.S. DOT number")
    RFC = "rfc", gettext_lazy("RFC (Mexican tax ID)")
    SCT = "sct", gettext_lazy("SCT permit number")
    FMC_ORG = "fmc-org", gettext_lazy("FMC organisation number")
    FMC_MTO = "fmc-mto", gettext_lazy("FMC marine terminal operator number")
    IATA = "iata", gettext_lazy("IATA airline code")
    IATA_ORG = "iata-org", gettext_lazy("IATA organisation number")
    BROKER_LICENSE = "broker-license", gettext_lazy("Customs broker licence number")
    FILER_CODE = "filer-code", gettext_lazy("Filer code")


# In MIDs, Canada is written by province, never as CA.
CANADIAN_PROVINCE_CODES = frozenset(
    {"XA", "XB", "XC", "XM", "XN", "XO", "XP", "XQ", "XS", "XT", "XV", "XW", "XY"}
)


# Only ASCII letters are upper-cased: str.upper() turns "ß" into "SS" and "ﬁ" into "FI", which
# would let a non-ASCII value through as a valid code. Ñ is the one non-ASCII letter (in RFCs).
_UPPER = str.maketrans(string.ascii_lowercase + "ñ", string.ascii_uppercase + "Ñ")


def _compact(value: str) -> str:
    # NFC so that an Ñ typed as N and a combining tilde is the one character. Only spaces are
    # dropped: a tab, a newline or any other control character stays, and the check refuses it.
    value = unicodedata.normalize("NFC", value or "")
    return "".join(c for c in value if unicodedata.category(c) != "Zs").translate(_UPPER)


def _is_plain(raw: str, also: str = "") -> bool:
    """Printable ASCII only (and the characters in `also`). Checked before stdnum sees a value:
    stdnum reads fullwidth and mathematical digits as ASCII ones, strips control characters at
    the ends and lets a trailing newline match its patterns."""
    rest = raw.translate(dict.fromkeys(map(ord, also)))
    return rest.isascii() and rest.isprintable()


def _ein_digits(raw: str) -> str:
    format_error = IdentifierError(_("An EIN has 9 digits, written NN-NNNNNNN."))
    if not _is_plain(raw):
        raise format_error
    try:
        return ein.validate(raw)
    except InvalidComponent:
        # stdnum's only component check on an EIN is the prefix (the IRS campus list).
        raise IdentifierError(
            _("%(prefix)s is not a prefix the IRS uses for EINs; check the first two digits.")
            % {"prefix": raw[:2]}
        ) from None
    except ValidationError:
        raise format_error from None


def check_ein(value: str) -> str:
    return ein.format(_ein_digits(_compact(value)))


def check_ior_ein(value: str) -> str:
    """An EIN-based IOR number: the EIN plus a two-character suffix (usually 00), NN-NNNNNNNXX."""
    raw = _compact(value)
    match = re.fullmatch(r"([0-9]{2}-?[0-9]{7})([0-9A-Z]{2})", raw)
    if not match:
        raise IdentifierError(
            _(
                "An EIN-based importer number is the 9-digit EIN and a 2-character suffix: NN-NNNNNNNXX (such as 12-345678900)."
            )
        )
    return ein.format(_ein_digits(match.group(1))) + match.group(2)


def check_ssn(value: str) -> str:
    raw = _compact(value)
    format_error = IdentifierError(_("A Social Security Number has 9 digits, written NNN-NN-NNNN."))
    if not _is_plain(raw):
        raise format_error
    try:
        return ssn.format(ssn.validate(raw))
    except InvalidComponent:
        # stdnum has refused a part of the number; say which.
        digits = ssn.compact(raw)
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        if area in {"000", "666"} or area.startswith("9"):
            message = _("%(area)s cannot begin a Social Security Number.") % {"area": area}
        elif group == "00" or serial == "0000":
            message = _("No part of a Social Security Number is all zeros.")
        else:
            # The rest of what stdnum refuses: numbers printed in advertisements (such as the
            # sample card sold in wallets) that many people then gave as their own.
            message = _(
                "%(number)s is a Social Security Number published in advertising and cannot be accepted; check the number."
            ) % {"number": ssn.format(digits)}
        raise IdentifierError(message) from None
    except ValidationError:
        raise format_error from None


def check_ior_cbp(value: str) -> str:
    raw = _compact(value)
    match = re.fullmatch(r"([0-9]{6})-?([0-9]{5})", raw)
    if not match:
        raise IdentifierError(
            _(
                "A CBP-assigned importer number is six digits, a hyphen and five digits (YYDDPP-NNNNN)."
            )
        )
    return f"{match.group(1)}-{match.group(2)}"


def check_duns(value: str) -> str:
    digits = _compact(value).replace("-", "")
    if not re.fullmatch(r"[0-9]{9}", digits):
        raise IdentifierError(_("A DUNS number has 9 digits."))
    return digits


def check_mid(value: str) -> str:
    """Country (ISO code; Canada by province), 3 to 6 letters from the name, up to 4 digits of
    the street number, up to 3 letters of the city; letters and digits only, at most 15."""
    raw = _compact(value)
    if not raw:
        raise IdentifierError(_("Enter the MID."))
    if len(raw) > 15:
        raise IdentifierError(
            _("A MID has at most 15 characters; this one has %(n)s.") % {"n": len(raw)}
        )
    if not re.fullmatch(r"[A-Z0-9]+", raw):
        raise IdentifierError(
            _("A MID holds only letters and digits, with no spaces or punctuation.")
        )
    country = raw[:2]
    if country == "CA":
        raise IdentifierError(
            _("For Canada a MID starts with the province code (such as XO for Ontario), not CA.")
        )
    if country not in CANADIAN_PROVINCE_CODES and country not in dict(countries):
        raise IdentifierError(
            _(
                "%(code)s is not a country code; a MID starts with the ISO code of the country of origin."
            )
            % {"code": country}
        )
    match = re.fullmatch(r"([A-Z]{3,6})([0-9]{0,4})([A-Z]{0,3})", raw[2:])
    if not match:
        raise IdentifierError(
            _(
                "After the country code a MID has 3 to 6 letters of the company name, up to 4 digits of the street number, up to 3 letters of the city."
            )
        )
    return raw


def check_scac(value: str) -> str:
    raw = _compact(value)
    if not re.fullmatch(r"[A-Z]{2,4}", raw):
        raise IdentifierError(_("A SCAC is 2 to 4 letters."))
    return raw


def check_usdot(value: str) -> str:
    raw = _compact(value).removeprefix("USDOT").removeprefix("DOT")
    if not re.fullmatch(r"[0-9]{1,8}", raw) or int(raw) == 0:
        raise IdentifierError(_("A U.S. DOT number is up to 8 digits."))
    return raw


def check_rfc(value: str) -> str:
    """12 characters for a company (persona moral), 13 for a person (persona física)."""
    raw = _compact(value).replace("-", "")
    format_error = IdentifierError(
        _(
            "An RFC has 12 characters for a company or 13 for a person: letters, a date YYMMDD and 3 check characters."
        )
    )
    # stdnum also accepts a person's 10-character RFC without the last 3 characters (the
    # homoclave); CTPAT asks for the full RFC, 12 or 13 characters.
    if not _is_plain(raw, also="Ñ") or len(rfc.compact(raw)) not in (12, 13):
        raise format_error
    try:
        # The check digit is not enforced: SAT has issued RFCs whose last character does not
        # match the published algorithm (stdnum estimates 1.5% of those in use), and refusing
        # one would keep a company or person from entering the RFC on their own SAT certificate.
        return rfc.validate(raw, validate_check_digits=False)
    except InvalidComponent:
        # stdnum has refused the date or, for a person, the four letters; say which.
        number = rfc.compact(raw)
        date = number[-9:-3]
        try:
            datetime.date(2000 + int(date[:2]), int(date[2:4]), int(date[4:]))
        except ValueError:
            raise IdentifierError(
                _("%(date)s in the RFC is not a date (YYMMDD).") % {"date": date}
            ) from None
        raise IdentifierError(
            _(
                "An RFC never starts with %(letters)s: SAT replaces the last of these letters with X; check the first four letters."
            )
            % {"letters": number[:4]}
        ) from None
    except ValidationError:
        raise format_error from None


def check_sct(value: str) -> str:
    raw = _compact(value)
    if not re.fullmatch(r"[A-Z0-9/-]{4,25}", raw):
        raise IdentifierError(
            _("Enter the SCT permit number as it appears on the permit (letters, digits, - or /).")
        )
    return raw


def _digits(count: int, message: Promise) -> Callable[[str], str]:
    def check(value: str) -> str:
        raw = _compact(value).replace("-", "")
        if not re.fullmatch(rf"[0-9]{{{count}}}", raw):
            raise IdentifierError(str(message))
        return raw

    return check


def check_iata(value: str) -> str:
    raw = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{2}", raw) or raw.isdigit():
        raise IdentifierError(
            _("An IATA airline code is 2 characters, at least one of them a letter.")
        )
    return raw


def check_filer_code(value: str) -> str:
    raw = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{3}", raw):
        raise IdentifierError(_("A filer code is 3 letters or digits."))
    return raw


CHECKS: dict[str, Callable[[str], str]] = {
    IdentifierKind.IOR_EIN: check_ior_ein,
    IdentifierKind.IOR_SSN: check_ssn,
    IdentifierKind.IOR_CBP: check_ior_cbp,
    IdentifierKind.EIN: check_ein,
    IdentifierKind.DUNS: check_duns,
    IdentifierKind.MID: check_mid,
    IdentifierKind.SCAC: check_scac,
    IdentifierKind.USDOT: check_usdot,
    IdentifierKind.RFC: check_rfc,
    IdentifierKind.SCT: check_sct,
    IdentifierKind.FMC_ORG: _digits(6, gettext_lazy("An FMC organisation number has 6 digits.")),
    IdentifierKind.FMC_MTO: _digits(
        6, gettext_lazy("An FMC marine terminal operator number has 6 digits.")
    ),
    IdentifierKind.IATA: check_iata,
    IdentifierKind.IATA_ORG: _digits(6, gettext_lazy("An IATA organisation number has 6 digits.")),
    IdentifierKind.BROKER_LICENSE: _digits(
        5, gettext_lazy("A customs broker licence number has 5 digits.")
    ),
    IdentifierKind.FILER_CODE: check_filer_code,
}


def normalise(kind: str, value: str) -> str:
    """The identifier in its standard form, or IdentifierError."""
    try:
        check = CHECKS[kind]
    except KeyError:
        raise IdentifierError(_("Unknown identifier kind.")) from None
    return check(value)
