"""Reading a catalog table (CSV or XLSX, in the layout `exports` writes) into a catalog document.

Rows update or add criteria of the current catalog; columns left out of the file keep their
current values; with `replace`, criteria missing from the file are removed. Every problem is
reported by row and column, and nothing is loaded unless the whole file is right.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from safelane.catalog.entity_types import entity_types
from safelane.catalog.exports import COLUMNS, ORG_COLUMNS, OWN_PREFIX
from safelane.catalog.loader import CatalogFileError, validate, version_as_document
from safelane.catalog.models import Basis, CatalogVersion

REQUIRED = ("ID", "Criteria", "Must/Should")
MUST_SHOULD = {"must": "must", "should": "should", "unknown": "unknown", "": "unknown"}
BASES = {b.value for b in Basis if b != Basis.CONFLICT}
ID_PATTERN = re.compile(r"^[0-9]{1,2}\.[0-9]{1,3}$")
MAX_ROWS = 5000


class CatalogImportError(CatalogFileError):
    pass


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise CatalogImportError(
                [_("%(file)s is not a readable XLSX file.") % {"file": filename}]
            ) from None
        sheet = book.worksheets[0]
        values = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    elif suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CatalogImportError(
                [_("%(file)s is not UTF-8 text.") % {"file": filename}]
            ) from None
        values = list(csv.reader(io.StringIO(text)))
    else:
        raise CatalogImportError([_("Use a .csv or .xlsx file.")])
    if not values:
        raise CatalogImportError([_("%(file)s is empty.") % {"file": filename}])
    header = [h.strip() for h in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CatalogImportError(
            [_("Row 1: the columns %(cols)s are missing.") % {"cols": ", ".join(missing)}]
        )
    # An organisation's export loads as the catalog: its own columns and rows are read past.
    unknown = [h for h in header if h and h not in COLUMNS and h not in ORG_COLUMNS]
    if unknown:
        raise CatalogImportError(
            [_("Row 1: unknown columns %(cols)s.") % {"cols": ", ".join(unknown)}]
        )
    if len(values) - 1 > MAX_ROWS:
        raise CatalogImportError([_("The file has more than %(n)s rows.") % {"n": MAX_ROWS}])
    return [
        {
            name: (row[i].strip() if i < len(row) else "")
            for i, name in enumerate(header)
            if name and name not in ORG_COLUMNS
        }
        for row in values[1:]
        if any(cell.strip() for cell in row) and not str(row[0]).strip().startswith(OWN_PREFIX)
    ]


def _entities(cell: str, row: int, column: str, problems: list[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    known = entity_types()
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", cell))):
        code, _sep, basis = (x.strip() for x in part.partition(":"))
        basis = basis or Basis.OFFICIAL
        if code not in known:
            problems.append(
                _("Row %(row)s, %(col)s: %(code)s is not an entity type code (%(codes)s).")
                % {"row": row, "col": column, "code": code, "codes": ", ".join(known)}
            )
        elif basis not in BASES:
            problems.append(
                _("Row %(row)s, %(col)s: '%(basis)s' is not a basis (%(bases)s).")
                % {"row": row, "col": column, "basis": basis, "bases": ", ".join(sorted(BASES))}
            )
        else:
            result[code] = basis
    return result


def to_document(
    table: list[dict[str, str]], current: CatalogVersion, *, replace: bool = False
) -> dict[str, Any]:
    doc = version_as_document(current)
    by_id = {c["id"]: c for c in doc["criteria"]}
    numbers = {c["number"] for c in doc["categories"]}
    problems: list[str] = []
    seen: set[str] = set()
    result: list[dict[str, Any]] = []
    for index, row in enumerate(table, start=2):
        ident = row.get("ID", "")
        if not ID_PATTERN.match(ident):
            problems.append(
                _("Row %(row)s, ID: '%(id)s' is not a criterion ID such as 4.10.")
                % {"row": index, "id": ident}
            )
            continue
        if ident in seen:
            problems.append(
                _("Row %(row)s, ID: %(id)s appears twice.") % {"row": index, "id": ident}
            )
            continue
        seen.add(ident)
        item = copy.deepcopy(by_id.get(ident)) or {
            "id": ident,
            "category": int(ident.split(".")[0]),
            "must_should_basis": Basis.OFFICIAL,
            "confidence": Basis.OFFICIAL,
            "guidance": "",
            "evidence": [],
            "applies_to": {},
            "not_for": {},
            "note": "",
        }
        item["requirement"] = row["Criteria"]
        if not item["requirement"]:
            problems.append(_("Row %(row)s, Criteria: the text is empty.") % {"row": index})
        ms = row["Must/Should"].strip().lower()
        if ms not in MUST_SHOULD:
            problems.append(
                _("Row %(row)s, Must/Should: '%(value)s' is not Must, Should or Unknown.")
                % {"row": index, "value": row["Must/Should"]}
            )
        else:
            item["must_should"] = MUST_SHOULD[ms]
        if "Implementation Guidance" in row:
            item["guidance"] = row["Implementation Guidance"]
        # A Spanish text no longer matches an English one that was corrected: drop it, so that
        # Spanish readers see the corrected English rather than an outdated translation.
        base = by_id.get(ident, {})
        for english, spanish in (("requirement", "requirement_es"), ("guidance", "guidance_es")):
            if item.get(english, "").strip() != base.get(english, "").strip():
                item.pop(spanish, None)
        if "Entity Types" in row:
            item["applies_to"] = _entities(row["Entity Types"], index, "Entity Types", problems)
        if "Not For" in row:
            item["not_for"] = _entities(row["Not For"], index, "Not For", problems)
        # An entity type's own designation goes with it when the table no longer applies it.
        item["designations"] = {
            code: value
            for code, value in item.get("designations", {}).items()
            if code in item.get("applies_to", {})
        }
        if row.get("Category"):
            try:
                item["category"] = int(row["Category"])
            except ValueError:
                problems.append(_("Row %(row)s, Category: not a number.") % {"row": index})
        if item["category"] not in numbers:
            problems.append(
                _("Row %(row)s, Category: there is no category %(n)s.")
                % {"row": index, "n": item["category"]}
            )
        for column, key in (
            ("Must/Should Basis", "must_should_basis"),
            ("Confidence", "confidence"),
        ):
            if row.get(column):
                allowed = BASES | ({"conflict"} if key == "must_should_basis" else set())
                if row[column] not in allowed:
                    problems.append(
                        _("Row %(row)s, %(col)s: '%(value)s' is not one of %(allowed)s.")
                        % {
                            "row": index,
                            "col": column,
                            "value": row[column],
                            "allowed": ", ".join(sorted(allowed)),
                        }
                    )
                else:
                    item[key] = row[column]
        if "Evidence Examples" in row:
            item["evidence"] = [e.strip() for e in row["Evidence Examples"].split("|") if e.strip()]
        if "Note" in row:
            item["note"] = row["Note"]
        result.append(item)
    if problems:
        raise CatalogImportError(problems)
    if not replace:
        result += [c for ident, c in by_id.items() if ident not in seen]
    doc["criteria"] = result
    try:
        validate(doc, name=_("the imported file"))
    except CatalogFileError as exc:
        raise CatalogImportError(exc.problems) from None
    return doc
