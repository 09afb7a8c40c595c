"""Partners from a spreadsheet: CSV or XLSX with a header row, columns mapped to fields, every
row checked before anything is written, then written in bulk with one audit entry that says
what came in.

The columns `name`, `type` and `country` are an interface (scripts rely on them): a type by its
code (`supplier`, `highway_carrier`, ... `3pl`, `other`) or its English or Spanish label, a
country by its ISO code or its name in English or Spanish. Several countries are separated by
semicolons.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from safelane.core.errors import DomainError
from safelane.core.imports import RowsRefusedError, read_csv
from safelane.core.records import check_values, create_record
from safelane.partners import tiers
from safelane.partners.models import (
    CtpatStatus,
    MraProgramme,
    NameKind,
    Partner,
    PartnerContact,
    PartnerImport,
    PartnerName,
    PartnerType,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

MAX_ROWS = 100_000
BATCH = 2_000

# The fields a column can hold, in the order the mapping page shows them.
FIELDS: list[tuple[str, Any]] = [
    ("name", gettext_lazy("Legal name")),
    ("type", gettext_lazy("Type")),
    ("country", gettext_lazy("Country or countries")),
    ("other_names", gettext_lazy("Other names")),
    ("services", gettext_lazy("What it does for us")),
    ("ctpat_status", gettext_lazy("CTPAT status")),
    ("ctpat_account", gettext_lazy("CTPAT account number")),
    ("mra_programme", gettext_lazy("AEO or MRA programme")),
    ("mra_id", gettext_lazy("Programme ID")),
    ("contact_name", gettext_lazy("Contact name")),
    ("contact_email", gettext_lazy("Contact e-mail")),
    ("contact_language", gettext_lazy("Contact language (en, es)")),
]
REQUIRED = ("name", "type", "country")
# Header words that say which field a column is (English and Spanish, as people write them).
HEADER_WORDS = {
    "name": ["name", "legal name", "partner", "company", "nombre", "razon social", "empresa"],
    "type": ["type", "kind", "partner type", "tipo"],
    "country": ["country", "countries", "pais", "paises"],
    "other_names": ["other names", "dba", "aka", "otros nombres", "nombre comercial"],
    "services": ["services", "service", "servicios"],
    "ctpat_status": ["ctpat status", "ctpat", "estado ctpat"],
    "ctpat_account": ["ctpat account", "ctpat account number", "cuenta ctpat"],
    "mra_programme": ["aeo", "mra", "programme", "program", "oea"],
    "mra_id": ["aeo id", "mra id", "programme id", "program id"],
    "contact_name": ["contact", "contact name", "contacto"],
    "contact_email": ["email", "e-mail", "contact email", "correo"],
    "contact_language": ["language", "idioma"],
}


@lru_cache(maxsize=8192)  # a register repeats its types, countries and statuses
def _key(text: str) -> str:
    """A header or a value as compared: no accents, no case, single spaces, no punctuation."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


@cache
def _choices(kind: str) -> dict[str, str]:
    """Every way a value of `kind` may be written (code, English, Spanish) -> its code."""
    options = {
        "type": PartnerType.choices,
        "ctpat_status": CtpatStatus.choices,
        "mra_programme": MraProgramme.choices,
    }[kind]
    found: dict[str, str] = {}
    for code, label in options:
        found[_key(code)] = code
        for language in ("en", "es"):
            with translation.override(language):
                found[_key(str(label))] = code
    if kind == "type":
        found.update({"3pl": "3pl", "nvocc": "consolidator", "carrier": "highway_carrier"})
    return found


@cache
def _countries() -> dict[str, str]:
    found = {code.casefold(): code for code, _name in countries}
    for language in ("en", "es"):
        with translation.override(language):
            found.update({_key(str(name)): code for code, name in countries})
    return found


def read_countries(text: str) -> tuple[list[str], list[str]]:
    """The ISO codes of the countries in `text` (codes or names in English or Spanish, separated
    by semicolons, commas, bars or new lines), in order and once each, and what is not one."""
    codes: list[str] = []
    unknown: list[str] = []

    def known(part: str) -> str | None:
        return _countries().get(_key(part)) or _countries().get(part.strip().casefold())

    for group in re.split(r"[;|\n]", text):
        # A name may hold a comma itself ("Bonaire, Sint Eustatius and Saba").
        parts = [group] if known(group) else group.split(",")
        for part in filter(str.strip, parts):
            code = known(part)
            if code is None:
                unknown.append(part.strip())
            elif code not in codes:
                codes.append(code)
    return codes, unknown


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """The column each field most likely is in, from the headers' words."""
    guessed: dict[str, str] = {}
    for name, words in HEADER_WORDS.items():
        for header in headers:
            if _key(header) in {_key(w) for w in words} and header not in guessed.values():
                guessed[name] = header
                break
    return guessed


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    other_names: list[str] = field(default_factory=list)
    contact: dict[str, str] | None = None
    problems: list[str] = field(default_factory=list)


def read_table(
    content: bytes, file_name: str
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows of a CSV or XLSX file, or RowsRefusedError saying why not."""
    if file_name.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    table = read_csv(content, required=set())
    return table.columns, table.rows


def _read_xlsx(content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise RowsRefusedError([_("The file is not a readable Excel workbook (.xlsx).")]) from None
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    found = []
    for number, cells in enumerate(rows, start=2):
        values = {
            h: "" if c is None else str(c).strip() for h, c in zip(header, cells, strict=False) if h
        }
        if any(values.values()):
            found.append((number, values))
    return header, found


def check_rows(table_rows: list[tuple[int, dict[str, str]]], mapping: dict[str, str]) -> list[Row]:
    """Every row as a partner to write, or with the problems that stop it."""
    missing = [str(label) for name, label in FIELDS if name in REQUIRED and name not in mapping]
    if missing:
        raise RowsRefusedError(
            [_("Choose the column of: %(fields)s.") % {"fields": ", ".join(missing)}]
        )
    if len(table_rows) > MAX_ROWS:
        raise RowsRefusedError(
            [
                _("The file has %(n)s rows; import at most %(max)s at a time.")
                % {"n": len(table_rows), "max": MAX_ROWS}
            ]
        )
    return [
        _check(number, {name: values.get(column, "").strip() for name, column in mapping.items()})
        for number, values in table_rows
    ]


def _check(number: int, raw: dict[str, str]) -> Row:
    row = Row(number)
    if not raw.get("name"):
        row.problems.append(_("the name is missing"))
    kind = _choices("type").get(_key(raw.get("type", "")))
    if kind is None:
        row.problems.append(
            _("'%(value)s' is not a partner type") % {"value": raw.get("type", "")[:40]}
        )
    codes, unknown = read_countries(raw.get("country") or "")
    row.problems.extend(_("'%(value)s' is not a country") % {"value": u[:40]} for u in unknown)
    if not codes and not any("country" in p for p in row.problems):
        row.problems.append(_("the country is missing"))
    values: dict[str, Any] = {"name": raw.get("name", ""), "kind": kind or "", "countries": codes}
    for name in ("ctpat_status", "mra_programme"):
        if raw.get(name):
            code = _choices(name).get(_key(raw[name]))
            if code is None:
                row.problems.append(
                    _("'%(value)s' is not a %(field)s")
                    % {"value": raw[name][:40], "field": dict(FIELDS)[name]}
                )
            else:
                values[name] = code
    for name in ("services", "ctpat_account", "mra_id"):
        if raw.get(name):
            values[name] = raw[name]
    row.values = values
    row.other_names = [n.strip() for n in (raw.get("other_names") or "").split(";") if n.strip()]
    if raw.get("contact_email") or raw.get("contact_name"):
        language = (raw.get("contact_language") or "en").strip().lower()[:2]
        row.contact = {
            "name": raw.get("contact_name") or raw.get("contact_email", ""),
            "email": raw.get("contact_email", ""),
            "language": language if language in {"en", "es"} else "en",
        }
        if not row.contact["email"] or "@" not in row.contact["email"]:
            row.problems.append(_("the contact's e-mail is missing or not an address"))
    if not row.problems:
        try:
            # The countries are read against the country table above; the model's own check
            # walks all of its choices for every row (a 50,000-row file took a minute on it).
            check_values(Partner(**row.values), names=set(row.values) - {"countries"})
            for name in row.other_names:
                check_values(PartnerName(name=name, kind=NameKind.DBA))
            if row.contact:
                check_values(PartnerContact(**row.contact))
        except DomainError as error:
            row.problems.append(str(error.message))
    return row


@dataclass(frozen=True)
class Outcome:
    record: PartnerImport
    partners: list[Partner]  # the partners written, for screening them next


def write(
    *,
    org: Organisation,
    actor: User | None,
    rows: list[Row],
    file_name: str,
    content: bytes,
    skip_bad_rows: bool,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Outcome:
    """Write the good rows (all of them, or refuse the file if any is bad and `skip_bad_rows`
    is off), in bulk, with one audit entry on the import that says what it brought."""
    bad = [r for r in rows if r.problems]
    if bad and not skip_bad_rows:
        raise RowsRefusedError(problem_lines(bad))
    good = [r for r in rows if not r.problems]
    levels = tiers.country_levels(org)
    today = timezone.localdate()
    written: list[Partner] = []
    with transaction.atomic():
        record = create_record(
            org=org,
            actor=actor,
            obj=PartnerImport(
                organisation=org,
                file_name=file_name[:255],
                sha256=hashlib.sha256(content).hexdigest(),
                rows=len(rows),
                imported=len(good),
                skipped=len(bad),
                imported_by=actor,
            ),
            also={"partners imported": len(good), "rows left out": len(bad)},
        )
        for start in range(0, len(good), BATCH):
            chunk = good[start : start + BATCH]
            made = Partner.objects.bulk_create(
                [_partner(org, record, r, levels, today) for r in chunk]
            )
            PartnerName.objects.bulk_create(
                PartnerName(organisation=org, partner=p, name=n, kind=NameKind.DBA)
                for p, r in zip(made, chunk, strict=True)
                for n in r.other_names
            )
            PartnerContact.objects.bulk_create(
                PartnerContact(organisation=org, partner=p, **r.contact)
                for p, r in zip(made, chunk, strict=True)
                if r.contact
            )
            written += made
            progress(start + len(chunk), len(good))
    return Outcome(record, written)


def _partner(
    org: Organisation, record: PartnerImport, row: Row, levels: dict[str, int], today: Any
) -> Partner:
    partner = Partner(organisation=org, imported_in=record, **row.values)
    found = tiers.assess(partner, levels, today)
    partner.computed_tier, partner.tier_reasons = found.tier, found.reasons
    partner.next_review = tiers.next_review(partner, found.tier, today)
    return partner


def problem_lines(rows: list[Row]) -> list[str]:
    return [
        _("Row %(row)s: %(problems)s.") % {"row": r.number, "problems": "; ".join(r.problems)}
        for r in rows
    ]
