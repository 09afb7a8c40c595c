"""BIS's Denied Persons List as dpl.txt: tab-separated, one header row, one row per party and
address (a party with three addresses has three rows, so three entries).

The file has no identifier of its own. An entry's `entry_id` is "dpl-" and the first 16 hex
digits of the SHA-256 of its folded name, effective date, street, city and country: the same row
keeps its id in the next edition even when BIS adds Federal Register citations to it. Two rows
that agree on all of those get "-2", "-3", ... in file order.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from django.utils.translation import gettext as _

from safelane.screening.countries import country_code
from safelane.screening.loaders import (
    EntryRow,
    ListName,
    LoadedList,
    LoadError,
    Problem,
    SourceFile,
    add_country,
    clean,
)
from safelane.screening.normalise import fold

COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
REQUIRED = {"Name"}
SOURCE_URL = "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/denied-persons-list"


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # BIS has published the file in Windows-1252.
        return content.decode("cp1252", errors="replace")


def derived_id(values: dict[str, str]) -> str:
    key = "|".join(
        " ".join(fold(values.get(column, "")).split())
        for column in ("Name", "Effective_Date", "Street_Address", "City", "Country")
    )
    return "dpl-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def parse(content: bytes, *, name: str = "dpl.txt") -> LoadedList:
    """The Denied Persons List from the contents of dpl.txt."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(_text(content), newline=""), delimiter="\t")
    entries: list[EntryRow] = []
    seen: dict[str, int] = {}
    try:
        header = [clean(c) for c in next(reader, [])]
        missing = REQUIRED - set(header)
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
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        name,
                        line,
                        _("expected %(expected)s columns, found %(found)s")
                        % {"found": len(cells), "expected": len(header)},
                    )
                )
                continue
            values = {column: clean(cell) for column, cell in zip(header, cells, strict=True)}
            if not values["Name"]:
                problems.append(Problem(name, line, _("the name is empty")))
                continue
            entry_id = derived_id(values)
            seen[entry_id] = seen.get(entry_id, 0) + 1
            if seen[entry_id] > 1:
                entry_id = f"{entry_id}-{seen[entry_id]}"
            city = " ".join(
                v
                for v in (
                    values.get("City", ""),
                    values.get("State", ""),
                    values.get("Postal_Code", ""),
                )
                if v
            )
            address = ", ".join(
                v for v in (values.get("Street_Address", ""), city, values.get("Country", "")) if v
            )
            entry = EntryRow(
                entry_id=entry_id,
                kind="unknown",
                name=values["Name"],
                addresses=[address] if address else [],
                remarks=values.get("Action", ""),
                source_url=SOURCE_URL,
                details={
                    key: values[column]
                    for key, column in (
                        ("effective_date", "Effective_Date"),
                        ("expiration_date", "Expiration_Date"),
                        ("standard_order", "Standard_Order"),
                        ("last_update", "Last_Update"),
                        ("federal_register_notice", "FR_Citation"),
                    )
                    if values.get(column)
                },
            )
            add_country(entry.countries, country_code(values.get("Country")))
            entries.append(entry)
    except csv.Error as error:
        problems.append(
            Problem(name, reader.line_num, _("cannot be read: %(error)s") % {"error": error})
        )
    if not entries and not problems:
        problems.append(Problem(name, None, _("the file holds no entries")))
    if problems:
        raise LoadError(problems)
    return LoadedList(ListName.DPL, [SourceFile.of(name, content)], entries)


def read(path: Path) -> LoadedList:
    if not path.is_file():
        raise LoadError([Problem(str(path), None, _("the file is missing"))])
    return parse(path.read_bytes(), name=path.name)
