"""The catalog as JSON, CSV, XLSX (the column layout of CBP's MSC tables) and OSCAL."""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from safelane.catalog.entity_types import entity_types
from safelane.catalog.loader import version_as_document
from safelane.catalog.models import CatalogVersion, MustShould
from safelane.core.cells import csv_row, xlsx_row

# CBP's tables: ID | Criteria | Implementation Guidance | Must/Should; Safelane adds the rest.
COLUMNS = [
    "ID",
    "Criteria",
    "Implementation Guidance",
    "Must/Should",
    "Entity Types",
    "Not For",
    "Category",
    "Must/Should Basis",
    "Confidence",
    "Evidence Examples",
    "Note",
]
MUST_SHOULD_LABELS = {
    MustShould.MUST: "Must",
    MustShould.SHOULD: "Should",
    MustShould.UNKNOWN: "Unknown",
}
OSCAL_VERSION = "1.2.3"
OSCAL_NS = "urn:safelane:msc"
UUID_NS = uuid.UUID("6f1c3f5e-2b7a-4c55-9a53-1f0d6c8b2a10")


def entity_cell(mapping: dict[str, str]) -> str:
    return "; ".join(f"{code}:{basis}" for code, basis in mapping.items())


def as_json(version: CatalogVersion) -> dict[str, Any]:
    doc = version_as_document(version)
    names = {c["number"]: c["name"] for c in doc["categories"]}
    return {
        "version": doc["version"],
        "title": doc["title"],
        "revision_note": doc["revision_note"],
        "entity_types": {code: et.name for code, et in entity_types().items()},
        "criteria": [
            {
                "id": c["id"],
                "category": c["category"],
                "category_name": names[c["category"]],
                "must_should": c["must_should"],
                "must_should_basis": c["must_should_basis"],
                "confidence": c["confidence"],
                "entity_types": sorted(c["applies_to"]),
                "entity_type_basis": c["applies_to"],
                "not_for": c["not_for"],
                "requirement": c["requirement"],
                "guidance": c["guidance"],
                "evidence": c["evidence"],
                "note": c["note"],
            }
            for c in doc["criteria"]
        ],
    }


def rows(version: CatalogVersion) -> list[list[str]]:
    doc = version_as_document(version)
    return [
        [
            c["id"],
            c["requirement"],
            c["guidance"],
            MUST_SHOULD_LABELS[MustShould(c["must_should"])],
            entity_cell(c["applies_to"]),
            entity_cell(c["not_for"]),
            str(c["category"]),
            c["must_should_basis"],
            c["confidence"],
            " | ".join(c["evidence"]),
            c["note"],
        ]
        for c in doc["criteria"]
    ]


def as_csv(version: CatalogVersion) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(values) for values in rows(version))
    # A BOM makes spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(version: CatalogVersion) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "MSC"
    sheet.append(COLUMNS)
    for values in rows(version):
        sheet.append(xlsx_row(values))
    header_fill = PatternFill("solid", fgColor="0A4352")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
    widths = [8, 60, 50, 12, 28, 20, 10, 16, 12, 40, 30]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    info = book.create_sheet("About")
    info.append(xlsx_row(["Catalog version", version.label]))
    info.append(xlsx_row(["Title", version.title]))
    info.append(["Exported", timezone.now().strftime("%Y-%m-%d %H:%M UTC")])
    info.append(["Entity type codes"])
    for code, et in entity_types().items():
        info.append(xlsx_row([code, et.name]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(UUID_NS, "/".join(parts)))


def _metadata(title: str, version: CatalogVersion) -> dict[str, Any]:
    return {
        "title": title,
        "last-modified": version.loaded_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "version": version.label,
        "oscal-version": OSCAL_VERSION,
        "remarks": "Requirement and guidance texts are Safelane's summaries, not CBP's wording.",
    }


def control_id(ident: str) -> str:
    return f"msc-{ident}"


def oscal_catalog(version: CatalogVersion) -> dict[str, Any]:
    doc = version_as_document(version)
    groups = []
    for category in doc["categories"]:
        controls = []
        for c in (c for c in doc["criteria"] if c["category"] == category["number"]):
            props = [
                {"name": "label", "value": c["id"]},
                {"name": "must-should", "ns": OSCAL_NS, "value": c["must_should"]},
                {"name": "must-should-basis", "ns": OSCAL_NS, "value": c["must_should_basis"]},
                {"name": "confidence", "ns": OSCAL_NS, "value": c["confidence"]},
            ]
            props += [
                {"name": "entity-type", "ns": OSCAL_NS, "value": code, "class": basis}
                for code, basis in c["applies_to"].items()
            ]
            parts: list[dict[str, Any]] = [
                {"id": f"{control_id(c['id'])}_smt", "name": "statement", "prose": c["requirement"]}
            ]
            if c["guidance"]:
                parts.append(
                    {"id": f"{control_id(c['id'])}_gdn", "name": "guidance", "prose": c["guidance"]}
                )
            if c["evidence"]:
                parts.append(
                    {
                        "id": f"{control_id(c['id'])}_evd",
                        "name": "evidence",
                        "ns": OSCAL_NS,
                        "prose": "\n".join(f"- {e}" for e in c["evidence"]),
                    }
                )
            controls.append(
                {
                    "id": control_id(c["id"]),
                    "class": "msc-criterion",
                    "title": f"{c['id']} {c['requirement'][:80]}",
                    "props": props,
                    "parts": parts,
                }
            )
        groups.append(
            {
                "id": f"category-{category['number']}",
                "class": "msc-category",
                "title": category["name"],
                "props": [{"name": "label", "value": str(category["number"])}],
                "controls": controls,
            }
        )
    return {
        "catalog": {
            "uuid": _uuid("catalog", version.label),
            "metadata": _metadata(doc["title"], version),
            "groups": groups,
        }
    }


def catalog_filename(version: CatalogVersion) -> str:
    return f"safelane-msc-{version.label}-catalog.json".replace(" ", "_")


def oscal_profile(version: CatalogVersion, code: str) -> dict[str, Any]:
    doc = version_as_document(version)
    ids = [control_id(c["id"]) for c in doc["criteria"] if code in c["applies_to"]]
    kind = entity_types()[code]
    imports: dict[str, Any] = {"href": catalog_filename(version)}
    imports["include-controls"] = [{"with-ids": ids}] if ids else []
    if not ids:
        imports.pop("include-controls")
        imports["exclude-controls"] = [{"with-ids": [control_id(c["id"]) for c in doc["criteria"]]}]
    return {
        "profile": {
            "uuid": _uuid("profile", version.label, code),
            "metadata": _metadata(f"CTPAT MSC for {kind.name}", version),
            "imports": [imports],
            "merge": {"as-is": True},
        }
    }


def as_oscal_zip(version: CatalogVersion) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(catalog_filename(version), json.dumps(oscal_catalog(version), indent=2))
        for code in entity_types():
            name = f"safelane-msc-{version.label}-profile-{code}.json".replace(" ", "_")
            archive.writestr(name, json.dumps(oscal_profile(version, code), indent=2))
    return out.getvalue()


def as_json_bytes(version: CatalogVersion) -> bytes:
    return (json.dumps(as_json(version), indent=2, ensure_ascii=False) + "\n").encode()


@dataclass(frozen=True)
class Format:
    content_type: str
    extension: str
    build: Callable[[CatalogVersion], bytes]
    suffix: str = ""  # added to the file name, such as "-oscal"


# The catalog's export formats, for the page and the command line alike.
FORMATS = {
    "json": Format("application/json", "json", as_json_bytes),
    "csv": Format("text/csv; charset=utf-8", "csv", as_csv),
    "xlsx": Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", as_xlsx
    ),
    "oscal": Format("application/zip", "zip", as_oscal_zip, "-oscal"),
}


def file_name(version: CatalogVersion, fmt: str) -> str:
    chosen = FORMATS[fmt]
    return f"safelane-msc-{version.label}{chosen.suffix}.{chosen.extension}"
