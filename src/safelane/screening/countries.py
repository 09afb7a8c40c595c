"""Country names as the lists and partners write them, read as ISO 3166 alpha-2 codes."""

from __future__ import annotations

from functools import cache

from django.utils import translation
from django_countries import countries

from safelane.screening.normalise import fold

# Names the U.S. lists use that are not the ISO names (OFAC's "Korea, North", "Burma", ...).
_LIST_NAMES = {
    "korea north": "KP",
    "north korea": "KP",
    "democratic peoples republic of korea": "KP",
    "korea south": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "burma": "MM",
    "russia": "RU",
    "russian federation": "RU",
    "iran": "IR",
    "syria": "SY",
    "congo democratic republic of the": "CD",
    "congo republic of the": "CG",
    "virgin islands british": "VG",
    "british virgin islands": "VG",
    "the gambia": "GM",
    "gambia the": "GM",
    "bahamas the": "BS",
    "the bahamas": "BS",
    "bahamas": "BS",
    "cote d ivoire": "CI",
    "ivory coast": "CI",
    "palestinian": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "region gaza": "PS",
    "region crimea": "UA",
    "crimea": "UA",
    "region northern mali": "ML",
    "macau": "MO",
    "czech republic": "CZ",
    "macedonia": "MK",
    "turkey": "TR",
    "cape verde": "CV",
    "swaziland": "SZ",
    "kosovo": "XK",
    "united states": "US",
    "usa": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "vatican": "VA",
    "holy see": "VA",
    "uae": "AE",
}
# User-assigned codes the lists use (Kosovo) that django-countries does not list.
_EXTRA_CODES = frozenset({"XK"})


def _key(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in fold(text)).split())


@cache
def _names() -> dict[str, str]:
    with translation.override("en"):
        names = {_key(str(name)): str(code) for code, name in countries}
    names.update(_LIST_NAMES)
    return names


@cache
def _codes() -> frozenset[str]:
    return frozenset(str(code) for code, _name in countries) | _EXTRA_CODES


def country_code(text: str | None) -> str | None:
    """The ISO alpha-2 code for a code or an English country name; None when unknown."""
    if not text or not text.strip():
        return None
    value = text.strip()
    if len(value) == 2 and value.upper() in _codes():
        return value.upper()
    return _names().get(_key(value))
