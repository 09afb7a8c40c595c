"""trade.gov's Consolidated Screening List, as its CSV file or its JSON file.

CSV: a header row naming the columns (`source, entity_number, type, programs, name, ...,
addresses, ..., alt_names, ...`); multi-valued cells are joined with "; " and each address ends
with an ISO country code. JSON: `{"results": [...]}` or a bare list of objects with the same
fields, where `alt_names`, `programs` and the like are lists and `addresses` and `ids` are lists
of objects.

An entry's `entry_id` is its `entity_number` (OFAC's ent_num, for the rows that come from OFAC),
else its `id` (or `_id`), else "csl-" and the first 16 hex digits of the SHA-256 of its source,
folded name, addresses, start date and Federal Register notice, with "-2", "-3", ... for rows
that agree on all of those.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from safelane.screening.countries import country_code
from safelane.screening.loaders import (
    KINDS,
    EntryRow,
    ListName,
    LoadedList,
    LoadError,
    NameRow,
    Problem,
    SourceFile,
    add_country,
    clean,
)
from safelane.screening.normalise import fold

REQUIRED = {"name"}
# Fields kept beside an entry, as text.
DETAILS = (
    "source",
    "title",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "dates_of_birth",
    "places_of_birth",
    "nationalities",
    "citizenships",
    "ids",
)


def _split(value: Any) -> list[str]:
    """A multi-valued field as a list: a JSON list, or CSV text joined with ';'."""
    if value is None:
        return []
    if isinstance(value, list):
        return [text for item in value if (text := clean(_as_text(item)))]
    return [text for part in str(value).split(";") if (text := clean(part))]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(clean(_as_text(v)) for v in value.values() if clean(_as_text(v)))
    if isinstance(value, list):
        return "; ".join(t for t in (clean(_as_text(v)) for v in value) if t)
    return str(value)


def _addresses(value: Any) -> tuple[list[str], list[str]]:
    """The addresses as text, and the country codes they end with."""
    texts: list[str] = []
    countries: list[str] = []
    items = value if isinstance(value, list) else _split(value)
    for item in items:
        if isinstance(item, dict):
            parts = [
                clean(_as_text(item.get(k)))
                for k in ("address", "city", "state", "postal_code", "country")
            ]
            text = ", ".join(p for p in parts if p)
            add_country(countries, country_code(clean(_as_text(item.get("country")))))
        else:
            text = clean(_as_text(item))
            add_country(countries, country_code(text.rsplit(",", 1)[-1]))
        if text:
            texts.append(text)
    return texts, countries


def _entry(record: dict[str, Any], seen: dict[str, int]) -> EntryRow | str:
    """The entry of one CSL record, or why it cannot be one."""
    name = clean(_as_text(record.get("name")))
    if not name:
        return _("the name is empty")
    kind = clean(_as_text(record.get("type"))).lower() or "unknown"
    if kind not in KINDS:
        return _("unknown type %(value)r") % {"value": record.get("type")}
    addresses, countries = _addresses(record.get("addresses"))
    for column in ("citizenships", "nationalities"):
        for value in _split(record.get(column)):
            add_country(countries, country_code(value))
    details = {k: text for k in DETAILS if (text := clean(_as_text(record.get(k))))}
    if kind == "vessel":
        add_country(countries, country_code(details.get("vessel_flag")))
    entry_id = clean(_as_text(record.get("entity_number") or record.get("id") or record.get("_id")))
    if not entry_id:
        key = "|".join(
            " ".join(fold(part).split())
            for part in (
                details.get("source", ""),
                name,
                "; ".join(addresses),
                details.get("start_date", ""),
                details.get("federal_register_notice", ""),
            )
        )
        entry_id = "csl-" + hashlib.sha256(key.encode()).hexdigest()[:16]
    seen[entry_id] = seen.get(entry_id, 0) + 1
    if seen[entry_id] > 1:
        entry_id = f"{entry_id}-{seen[entry_id]}"
    aliases = [
        NameRow(alias, is_alias=True, alias_type="aka") for alias in _split(record.get("alt_names"))
    ]
    return EntryRow(
        entry_id=entry_id,
        kind=kind,
        name=name,
        aliases=[a for a in aliases if a.name != name],
        programs=_split(record.get("programs")),
        countries=countries,
        addresses=addresses,
        remarks=clean(_as_text(record.get("remarks"))),
        source_url=clean(
            _as_text(record.get("source_information_url") or record.get("source_list_url"))
        ),
        details=details,
    )


def _finish(
    name: str, content: bytes, entries: list[EntryRow], problems: list[Problem]
) -> LoadedList:
    if not entries and not problems:
        problems.append(Problem(name, None, _("the file holds no entries")))
    if problems:
        raise LoadError(problems)
    return LoadedList(ListName.CSL, [SourceFile.of(name, content)], entries)


def _utf8(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise LoadError([Problem(name, line, _("the file is not UTF-8 text"))]) from None


def parse_csv(content: bytes, *, name: str = "consolidated.csv") -> LoadedList:
    """The Consolidated Screening List from its CSV file."""
    reader = csv.DictReader(io.StringIO(_utf8(content, name), newline=""))
    problems: list[Problem] = []
    entries: list[EntryRow] = []
    seen: dict[str, int] = {}
    try:
        columns = [c.strip().lstrip("\ufeff") for c in reader.fieldnames or []]
        reader.fieldnames = columns
        missing = REQUIRED - set(columns)
        if missing:
            raise LoadError(
                [
                    Problem(
                        name,
                        1,
                        _("the header lacks the columns %(columns)s")
                        % {"columns": ", ".join(sorted(missing))},
                    )
                ]
            )
        for record in reader:
            if None in record:
                problems.append(
                    Problem(name, reader.line_num, _("more cells than the header has columns"))
                )
                continue
            if not any((v or "").strip() for v in record.values()):
                continue
            entry = _entry(record, seen)
            if isinstance(entry, str):
                problems.append(Problem(name, reader.line_num, entry))
            else:
                entries.append(entry)
    except csv.Error as error:
        problems.append(
            Problem(name, reader.line_num, _("cannot be read: %(error)s") % {"error": error})
        )
    return _finish(name, content, entries, problems)


def _array_items(text: str, start: int) -> Iterator[tuple[int, Any]]:
    """(offset, value) of each item of the JSON array that opens at text[start]."""
    decoder = json.JSONDecoder()
    position = start + 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return
        value, end = decoder.raw_decode(text, position)
        yield position, value
        position = end


def _results_start(text: str) -> int | None:
    """Where the array of records opens: the whole document, or its "results" member."""
    decoder = json.JSONDecoder()
    position = len(text) - len(text.lstrip())
    if text[position] == "[":
        return position
    if text[position] != "{":
        return None
    position += 1
    while position < len(text):
        while text[position] in " \t\r\n,":
            position += 1
        if text[position] == "}":
            return None
        key, position = decoder.raw_decode(text, position)
        while text[position] in " \t\r\n:":
            position += 1
        if key == "results" and text[position] == "[":
            return position
        _value, position = decoder.raw_decode(text, position)
    return None


def parse_json(content: bytes, *, name: str = "consolidated.json") -> LoadedList:
    """The Consolidated Screening List from its JSON file."""
    text = _utf8(content, name)
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadError(
            [Problem(name, error.lineno, _("is not JSON: %(error)s") % {"error": error.msg})]
        ) from None
    start = _results_start(text)
    if start is None:
        raise LoadError(
            [Problem(name, 1, _('holds neither a list of entries nor {"results": [...]}'))]
        )
    problems: list[Problem] = []
    entries: list[EntryRow] = []
    seen: dict[str, int] = {}
    line, counted = 1, 0
    for offset, record in _array_items(text, start):
        line += text.count("\n", counted, offset)
        counted = offset
        if not isinstance(record, dict):
            problems.append(Problem(name, line, _("an entry is not an object")))
            continue
        entry = _entry(record, seen)
        if isinstance(entry, str):
            problems.append(Problem(name, line, entry))
        else:
            entries.append(entry)
    return _finish(name, content, entries, problems)


def read(path: Path) -> LoadedList:
    """The Consolidated Screening List from a .csv or .json file."""
    if not path.is_file():
        raise LoadError([Problem(str(path), None, _("the file is missing"))])
    content = path.read_bytes()
    if path.suffix.lower() == ".json" or content.lstrip()[:1] in {b"{", b"["}:
        return parse_json(content, name=path.name)
    return parse_csv(content, name=path.name)
