"""The people register from a spreadsheet: CSV or XLSX with a header row, columns mapped to
fields, every row checked before anything is written, then written in bulk: new employee numbers
are added, known ones updated, and (when the file lists everyone) people missing from it are
deactivated, never deleted.

The columns `employee_number`, `name`, `role` and `site` are an interface (scripts and the
command line rely on them); `department`, `start_date` (YYYY-MM-DD) and `active` (yes/no) may
follow. Nothing else about a person is read.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.core.audit import record_updates
from safelane.core.errors import DomainError
from safelane.core.imports import RowsRefusedError, read_csv
from safelane.core.records import check_values, create_record
from safelane.training.models import PeopleImport, Person

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

MAX_ROWS = 100_000
BATCH = 2_000

# The fields a column can hold, in the order the mapping page shows them.
FIELDS: list[tuple[str, Any]] = [
    ("employee_number", gettext_lazy("Employee number")),
    ("name", gettext_lazy("Name")),
    ("role", gettext_lazy("Role")),
    ("site", gettext_lazy("Site")),
    ("department", gettext_lazy("Department")),
    ("start_date", gettext_lazy("Start date (YYYY-MM-DD)")),
    ("active", gettext_lazy("Active (yes or no)")),
]
REQUIRED = ("employee_number", "name")
# The fields an import writes on a person, in the order of the audit entries.
WRITTEN = ("name", "role", "site", "department", "start_date", "active")
# Header words that say which field a column is (English and Spanish, as HR files write them).
HEADER_WORDS = {
    "employee_number": [
        "employee number",
        "employee no",
        "employee id",
        "employee",
        "badge",
        "number",
        "numero de empleado",
        "no empleado",
        "num empleado",
        "numero",
    ],
    "name": ["name", "full name", "nombre", "nombre completo"],
    "role": ["role", "position", "job title", "job", "puesto", "cargo", "rol"],
    "site": ["site", "location", "facility", "plant", "sitio", "planta", "sede", "ubicacion"],
    "department": ["department", "dept", "area", "departamento"],
    "start_date": ["start date", "hire date", "hired", "fecha de ingreso", "ingreso", "alta"],
    "active": ["active", "status", "activo", "estado"],
}
YES = {"yes", "y", "true", "1", "active", "si", "s", "activo", "activa", "x"}
NO = {"no", "n", "false", "0", "inactive", "left", "inactivo", "inactiva", "baja"}


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    """A header or a value as compared: no accents, no case, single spaces, no punctuation."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """The column each field most likely is in, from the headers' words."""
    guessed: dict[str, str] = {}
    for name, words in HEADER_WORDS.items():
        wanted = {_key(w) for w in words}
        for header in headers:
            if _key(header) in wanted and header not in guessed.values():
                guessed[name] = header
                break
    return guessed


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_table(
    content: bytes, file_name: str
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows of a CSV or XLSX file, or RowsRefusedError saying why not."""
    if file_name.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    table = read_csv(content, required=set())
    return table.columns, table.rows


def _cell(value: Any) -> str:
    """A spreadsheet cell as the text a person sees: 1042 rather than 1042.0, a date as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _read_xlsx(content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise RowsRefusedError([_("The file is not a readable Excel workbook (.xlsx).")]) from None
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(c) for c in next(rows, ())]
    found = []
    for number, cells in enumerate(rows, start=2):
        values = {h: _cell(c) for h, c in zip(header, cells, strict=False) if h}
        if any(values.values()):
            found.append((number, values))
    return header, found


def check_rows(table_rows: list[tuple[int, dict[str, str]]], mapping: dict[str, str]) -> list[Row]:
    """Every row as a person to write, or with the problems that stop it."""
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
    rows = []
    first_seen: dict[str, int] = {}
    for number, values in table_rows:
        row = _check(number, {name: values.get(col, "") for name, col in mapping.items()})
        code = row.values.get("employee_number", "")
        if code and code.casefold() in first_seen:
            row.problems.append(
                _("employee number %(number)s is on row %(row)s too")
                % {"number": code[:40], "row": first_seen[code.casefold()]}
            )
        elif code:
            first_seen[code.casefold()] = number
        rows.append(row)
    return rows


def _text(value: str) -> str:
    return " ".join(value.split())


def read_date(text: str) -> datetime.date | None:
    """A date written YYYY-MM-DD (an Excel date cell reads so too); other ways to write a date
    are ambiguous (is 03/04 March or April?) and refused."""
    try:
        return datetime.date.fromisoformat(text[:10]) if len(text) in (10, 19) else None
    except ValueError:
        return None


def _check(number: int, raw: dict[str, str]) -> Row:
    row = Row(number)
    values: dict[str, Any] = {name: _text(raw.get(name, "")) for name in REQUIRED}
    if not values["employee_number"]:
        row.problems.append(_("the employee number is missing"))
    if not values["name"]:
        row.problems.append(_("the name is missing"))
    for name in ("role", "site", "department"):
        if name in raw:
            values[name] = _text(raw[name])
    if raw.get("start_date", "").strip():
        found = read_date(raw["start_date"].strip())
        if found is None:
            row.problems.append(
                _("'%(value)s' is not a date written YYYY-MM-DD")
                % {"value": raw["start_date"][:40]}
            )
        values["start_date"] = found
    if raw.get("active", "").strip():
        said = _key(raw["active"])
        if said not in YES | NO:
            row.problems.append(
                _("'%(value)s' is not yes or no (active)") % {"value": raw["active"][:40]}
            )
        values["active"] = said in YES
    row.values = values
    if not row.problems:
        try:
            check_values(Person(**values), names=set(values))
        except DomainError as error:
            # The model's sentence ends the row's line, which adds its own full stop.
            row.problems.append(str(error.message).rstrip("."))
    return row


@dataclass(frozen=True)
class Outcome:
    record: PeopleImport
    added: int
    updated: int
    deactivated: int


def write(
    *,
    org: Organisation,
    actor: User | None,
    rows: list[Row],
    file_name: str,
    content: bytes,
    skip_bad_rows: bool,
    deactivate_missing: bool = False,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Outcome:
    """Write the good rows (all of them, or refuse the file if any is bad and `skip_bad_rows`
    is off): new employee numbers added in bulk, known ones updated where a value changed (an
    audit entry each), and with `deactivate_missing` everyone active not in the file (nor on a
    bad row) made inactive. The import's own audit entry says how many of each."""
    bad = [r for r in rows if r.problems]
    if bad and not skip_bad_rows:
        raise RowsRefusedError(problem_lines(bad))
    good = [r for r in rows if not r.problems]
    with transaction.atomic():
        known = {
            p.employee_number.casefold(): p
            for p in Person.objects.for_org(org).select_for_update().order_by("pk")
        }
        new: list[Person] = []
        changed: list[tuple[Person, dict[str, list[Any]]]] = []
        for row in good:
            if deactivate_missing:
                # A file of everyone: a person it lists works here (again).
                row.values.setdefault("active", True)
            person = known.get(row.values["employee_number"].casefold())
            if person is None:
                new.append(Person(organisation=org, **row.values))
                continue
            changes = _apply(person, row.values)
            if changes:
                changed.append((person, changes))
        in_file = {r.values.get("employee_number", "").casefold() for r in rows}
        if deactivate_missing:
            for code, person in known.items():
                if person.active and code not in in_file:
                    person.active = False
                    person.version += 1
                    changed.append((person, {"active": [True, False]}))
        gone = sum(1 for _p, c in changed if c.get("active") == [True, False])
        record = create_record(
            org=org,
            actor=actor,
            obj=PeopleImport(
                organisation=org,
                file_name=file_name[:255],
                sha256=hashlib.sha256(content).hexdigest(),
                rows=len(rows),
                added=len(new),
                updated=len(changed) - gone,
                deactivated=gone,
                skipped=len(bad),
                imported_by=actor,
            ),
            also={
                "people added": len(new),
                "people updated": len(changed) - gone,
                "people deactivated": gone,
                "rows left out": len(bad),
            },
        )
        total = len(new) + len(changed)
        for start in range(0, len(new), BATCH):
            chunk = new[start : start + BATCH]
            for person in chunk:
                person.imported_in = record
            Person.objects.bulk_create(chunk)
            progress(start + len(chunk), total)
        people = [p for p, _c in changed]
        for start in range(0, len(people), BATCH):
            Person.objects.for_org(org).bulk_update(
                people[start : start + BATCH], [*WRITTEN, "version"]
            )
            progress(len(new) + min(start + BATCH, len(people)), total)
        record_updates(org=org, actor=actor, changed=changed)  # type: ignore[arg-type]
    return Outcome(record, len(new), len(changed) - gone, gone)


def _apply(person: Person, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the row's values on a known person; what changed, as the audit trail writes it."""
    changes: dict[str, list[Any]] = {}
    for name in WRITTEN:
        if name in values and getattr(person, name) != values[name]:
            before = getattr(person, name)
            changes[name] = [
                before.isoformat() if isinstance(before, datetime.date) else before,
                values[name].isoformat()
                if isinstance(values[name], datetime.date)
                else values[name],
            ]
            setattr(person, name, values[name])
    if changes:
        person.version += 1
    return changes


def problem_lines(rows: list[Row]) -> list[str]:
    return [
        _("Row %(row)s: %(problems)s.") % {"row": r.number, "problems": "; ".join(r.problems)}
        for r in rows
    ]
