"""OFAC's SDN list in its legacy CSV files: sdn.csv, alt.csv and add.csv, linked by ent_num.

No header; `-0-` means empty; Latin-1; the files may end with a DOS end-of-file mark (0x1A).
sdn.csv: ent_num, SDN_Name, SDN_Type (empty for an entity), Program, Title, Call_Sign,
Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks. alt.csv: ent_num, alt_num, alt_type
(aka, fka, nka), alt_name, alt_remarks. add.csv: ent_num, add_num, address, city/state/postal
code, country, add_remarks.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from safelane.screening.countries import country_code
from safelane.screening.loaders import (
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

FILES = ("sdn.csv", "alt.csv", "add.csv")
SDN_COLUMNS = 12
ALT_COLUMNS = 5
ADD_COLUMNS = 6
KINDS = {"": "entity", "individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}
ALIAS_TYPES = {"aka", "fka", "nka"}
SOURCE_URL = "https://sanctionssearch.ofac.treas.gov/"
# "nationality Iran; citizen Iran" in an individual's remarks.
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([^;.()]+)")


def _rows(name: str, content: bytes, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each record; the closing end-of-file mark and blank lines are skipped."""
    reader = csv.reader(io.StringIO(content.decode("latin-1"), newline=""))
    try:
        for cells in reader:
            if not cells or (len(cells) == 1 and cells[0].strip() in {"", "\x1a"}):
                continue
            yield reader.line_num, cells
    except csv.Error as error:
        problems.append(
            Problem(name, reader.line_num, _("cannot be read: %(error)s") % {"error": error})
        )


def _columns(
    name: str, line: int, cells: list[str], expected: int, problems: list[Problem]
) -> bool:
    if len(cells) == expected:
        return True
    problems.append(
        Problem(
            name,
            line,
            _("expected %(expected)s columns, found %(found)s")
            % {"found": len(cells), "expected": expected},
        )
    )
    return False


def parse(sdn: bytes, alt: bytes, add: bytes, *, names: tuple[str, str, str] = FILES) -> LoadedList:
    """The SDN list from the contents of sdn.csv, alt.csv and add.csv."""
    sdn_name, alt_name, add_name = names
    problems: list[Problem] = []
    entries: dict[str, EntryRow] = {}
    for line, cells in _rows(sdn_name, sdn, problems):
        if not _columns(sdn_name, line, cells, SDN_COLUMNS, problems):
            continue
        values = [clean(c) for c in cells]
        ent_num, name, kind = values[0], values[1], values[2].lower()
        if not ent_num.isdigit():
            problems.append(
                Problem(sdn_name, line, _("ent_num %(value)r is not a number") % {"value": ent_num})
            )
            continue
        if ent_num in entries:
            problems.append(
                Problem(sdn_name, line, _("ent_num %(value)s appears twice") % {"value": ent_num})
            )
            continue
        if not name:
            problems.append(Problem(sdn_name, line, _("the name is empty")))
            continue
        if kind not in KINDS:
            problems.append(
                Problem(sdn_name, line, _("unknown SDN_Type %(value)r") % {"value": values[2]})
            )
            continue
        remarks = values[11]
        details = {
            key: value
            for key, value in zip(
                (
                    "title",
                    "call_sign",
                    "vessel_type",
                    "tonnage",
                    "gross_registered_tonnage",
                    "vessel_flag",
                    "vessel_owner",
                ),
                values[4:11],
                strict=True,
            )
            if value
        }
        entry = EntryRow(
            entry_id=ent_num,
            kind=KINDS[kind],
            name=name,
            programs=[p.strip() for p in values[3].strip("[] ").split("] [") if p.strip()],
            remarks=remarks,
            source_url=SOURCE_URL,
            details=details,
        )
        for nationality in _NATIONALITY.findall(remarks):
            add_country(entry.countries, country_code(nationality))
        if entry.kind == "vessel":
            add_country(entry.countries, country_code(details.get("vessel_flag")))
        entries[ent_num] = entry
    for line, cells in _rows(alt_name, alt, problems):
        if not _columns(alt_name, line, cells, ALT_COLUMNS, problems):
            continue
        values = [clean(c) for c in cells]
        owner = entries.get(values[0])
        alias_type, alias = values[2].lower(), values[3]
        if owner is None:
            problems.append(
                Problem(
                    alt_name,
                    line,
                    _("ent_num %(value)r is not in %(file)s")
                    % {"value": values[0], "file": sdn_name},
                )
            )
        elif alias_type not in ALIAS_TYPES:
            problems.append(
                Problem(alt_name, line, _("unknown alt_type %(value)r") % {"value": values[2]})
            )
        elif not alias:
            problems.append(Problem(alt_name, line, _("the name is empty")))
        else:
            owner.aliases.append(NameRow(alias, is_alias=True, alias_type=alias_type))
    for line, cells in _rows(add_name, add, problems):
        if not _columns(add_name, line, cells, ADD_COLUMNS, problems):
            continue
        values = [clean(c) for c in cells]
        owner = entries.get(values[0])
        if owner is None:
            problems.append(
                Problem(
                    add_name,
                    line,
                    _("ent_num %(value)r is not in %(file)s")
                    % {"value": values[0], "file": sdn_name},
                )
            )
            continue
        address = ", ".join(v for v in (values[2], values[3], values[4]) if v)
        if address:
            owner.addresses.append(address)
        add_country(owner.countries, country_code(values[4]))
    if not entries and not problems:
        problems.append(Problem(sdn_name, None, _("the file holds no entries")))
    if problems:
        raise LoadError(problems)
    files = [SourceFile.of(n, c) for n, c in zip(names, (sdn, alt, add), strict=True)]
    return LoadedList(ListName.OFAC_SDN, files, list(entries.values()))


def read(directory: Path) -> LoadedList:
    """The SDN list from a directory holding sdn.csv, alt.csv and add.csv (any case)."""
    if not directory.is_dir():
        raise LoadError([Problem(str(directory), None, _("is not a directory"))])
    present = {p.name.lower(): p for p in directory.iterdir() if p.is_file()}
    missing = [name for name in FILES if name not in present]
    if missing:
        raise LoadError(
            [Problem(str(directory / name), None, _("the file is missing")) for name in missing]
        )
    paths = [present[name] for name in FILES]
    return parse(
        *(p.read_bytes() for p in paths), names=(paths[0].name, paths[1].name, paths[2].name)
    )
