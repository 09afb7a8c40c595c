"""Checks of the identifiers a CTPAT application carries. Each check normalises the value and
returns it, or raises IdentifierError with a message that says exactly what is wrong.

Formats follow the program facts (program-facts.md §1); where CBP does not publish a format
(the SCT permit number), the check only refuses what cannot be right.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries


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


# Prefixes the IRS has never assigned to an EIN.
INVALID_EIN_PREFIXES = frozenset(
    {
        "00",
        "07",
        "08",
        "09",
        "17",
        "18",
        "19",
        "28",
        "29",
        "49",
        "69",
        "70",
        "78",
        "79",
        "89",
        "96",
        "97",
    }
)
# In MIDs, Canada is written by province, never as CA.
CANADIAN_PROVINCE_CODES = frozenset(
    {"XA", "XB", "XC", "XM", "XN", "XO", "XP", "XQ", "XS", "XT", "XV", "XW", "XY"}
)


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def _ein_digits(value: str) -> str:
    digits = value.replace("-", "")
    if not re.fullmatch(r"\d{9}", digits):
        raise IdentifierError(_("An EIN has 9 digits, written NN-NNNNNNN."))
    if digits[:2] in INVALID_EIN_PREFIXES:
        raise IdentifierError(
            _("%(prefix)s is not a prefix the IRS uses for EINs; check the first two digits.")
            % {"prefix": digits[:2]}
        )
    return digits


def check_ein(value: str) -> str:
    digits = _ein_digits(_compact(value))
    return f"{digits[:2]}-{digits[2:]}"


def check_ior_ein(value: str) -> str:
    """An EIN-based IOR number: the EIN plus a two-character suffix (usually 00), NN-NNNNNNNXX."""
    raw = _compact(value)
    match = re.fullmatch(r"(\d{2}-?\d{7})([0-9A-Z]{2})", raw)
    if not match:
        raise IdentifierError(
            _(
                "An EIN-based importer number is the 9-digit EIN and a 2-character suffix: NN-NNNNNNNXX (such as 12-345678900)."
            )
        )
    digits = _ein_digits(match.group(1))
    return f"{digits[:2]}-{digits[2:]}{match.group(2)}"


def check_ssn(value: str) -> str:
    raw = _compact(value).replace("-", "")
    if not re.fullmatch(r"\d{9}", raw):
        raise IdentifierError(_("A Social Security Number has 9 digits, written NNN-NN-NNNN."))
    area, group, serial = raw[:3], raw[3:5], raw[5:]
    if area in {"000", "666"} or area.startswith("9"):
        raise IdentifierError(_("%(area)s cannot begin a Social Security Number.") % {"area": area})
    if group == "00" or serial == "0000":
        raise IdentifierError(_("No part of a Social Security Number is all zeros."))
    return f"{area}-{group}-{serial}"


def check_ior_cbp(value: str) -> str:
    raw = _compact(value)
    match = re.fullmatch(r"(\d{6})-?(\d{5})", raw)
    if not match:
        raise IdentifierError(
            _(
                "A CBP-assigned importer number is six digits, a hyphen and five digits (YYDDPP-NNNNN)."
            )
        )
    return f"{match.group(1)}-{match.group(2)}"


def check_duns(value: str) -> str:
    digits = _compact(value).replace("-", "")
    if not re.fullmatch(r"\d{9}", digits):
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
    match = re.fullmatch(r"([A-Z]{3,6})(\d{0,4})([A-Z]{0,3})", raw[2:])
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
    if not re.fullmatch(r"\d{1,8}", raw) or int(raw) == 0:
        raise IdentifierError(_("A U.S. DOT number is up to 8 digits."))
    return raw


def check_rfc(value: str) -> str:
    """12 characters for a company (persona moral), 13 for a person (persona física)."""
    raw = _compact(value).replace("-", "")
    match = re.fullmatch(r"([A-ZÑ&]{3,4})(\d{6})([A-Z0-9]{3})", raw)
    if not match or len(raw) not in (12, 13):
        raise IdentifierError(
            _(
                "An RFC has 12 characters for a company or 13 for a person: letters, a date YYMMDD and 3 check characters."
            )
        )
    try:
        datetime.datetime.strptime(match.group(2), "%y%m%d")
    except ValueError:
        raise IdentifierError(
            _("%(date)s in the RFC is not a date (YYMMDD).") % {"date": match.group(2)}
        ) from None
    return raw


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
        if not re.fullmatch(rf"\d{{{count}}}", raw):
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
