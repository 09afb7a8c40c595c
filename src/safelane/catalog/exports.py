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
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from safelane.catalog import selectors
from safelane.catalog.entity_types import entity_types
from safelane.catalog.loader import version_as_document
from safelane.catalog.models import CatalogVersion, Decision, MustShould, OwnCriterion
from safelane.core.cells import csv_row, xlsx_row

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

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
# An organisation's export adds how each criterion stands for it, and its own criteria as rows
# whose ID starts with "own:" (the importer reads past both, so the file loads as the catalog).
ORG_COLUMNS = ["Our Scope", "Our Decision", "Decision Reason"]
OWN_PREFIX = "own:"
SCOPE_LABELS = {
    selectors.Status.APPLIES: "Applies",
    selectors.Status.UNCONFIRMED: "To confirm",
    selectors.Status.ADDED: "Applies (our decision)",
    selectors.Status.NOT_APPLICABLE: "Not applicable (our decision)",
    selectors.Status.EXCLUDED: "Not for our entity types",
}
DECISION_LABELS: dict[str, str] = {
    Decision.APPLICABLE: "Applies to us",
    Decision.NOT_APPLICABLE: "Does not apply",
}
MUST_SHOULD_LABELS = {
    MustShould.MUST: "Must",
    MustShould.SHOULD: "Should",
    MustShould.UNKNOWN: "Unknown",
}
OSCAL_VERSION = "1.2.3"
OSCAL_NS = "urn:safelane:msc"
UUID_NS = uuid.UUID("6f1c3f5e-2b7a-4c55-9a53-1f0d6c8b2a10")


@dataclass(frozen=True)
class Tailoring:
    """How the catalog stands for one organisation: its entity types, each criterion's fit
    (with the organisation's own decision and reason, if any) and its own criteria."""

    name: str
    slug: str
    entity_types: list[str]
    fits: dict[str, selectors.Fit]
    own: list[OwnCriterion]

    def scope(self, ident: str) -> list[str]:
        fit = self.fits.get(ident)
        if fit is None:
            return ["", "", ""]
        decision = fit.decision
        return [
            SCOPE_LABELS[fit.status],
            DECISION_LABELS.get(decision.decision, "") if decision else "",
            decision.justification if decision else "",
        ]


def tailoring(org: Organisation, version: CatalogVersion) -> Tailoring:
    return Tailoring(
        org.name,
        org.slug,
        sorted(e.entity_type for e in selectors.org_entity_types(org)),
        selectors.fits(org, version),
        list(selectors.own_criteria(org)),
    )


def entity_cell(mapping: dict[str, str]) -> str:
    return "; ".join(f"{code}:{basis}" for code, basis in mapping.items())


def as_json(version: CatalogVersion, tailored: Tailoring | None = None) -> dict[str, Any]:
    out = _plain_json(version)
    if tailored is None:
        return out
    for c in out["criteria"]:
        label, _decision, reason = tailored.scope(c["id"])
        fit = tailored.fits.get(c["id"])
        c["scope"] = {
            "status": fit.status if fit else "",
            "label": label,
            "decision": fit.decision.decision if fit and fit.decision else None,
            "justification": reason or None,
        }
    out["organisation"] = {
        "name": tailored.name,
        "slug": tailored.slug,
        "entity_types": tailored.entity_types,
    }
    out["own_criteria"] = [
        {
            "code": own.code,
            "category": own.category,
            "must_should": own.must_should,
            "requirement": own.requirement,
            "guidance": own.guidance,
        }
        for own in tailored.own
    ]
    return out


def _plain_json(version: CatalogVersion) -> dict[str, Any]:
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


def rows(version: CatalogVersion, tailored: Tailoring | None = None) -> list[list[str]]:
    plain = _plain_rows(version)
    if tailored is None:
        return plain
    own = [
        [
            OWN_PREFIX + c.code,
            c.requirement,
            c.guidance,
            MUST_SHOULD_LABELS[MustShould(c.must_should)],
            "",
            "",
            str(c.category or ""),
            "",
            "",
            "",
            f"Own criterion of {tailored.name}",
            "Own criterion",
            "",
            "",
        ]
        for c in tailored.own
    ]
    return [row + tailored.scope(row[0]) for row in plain] + own


def header(tailored: Tailoring | None) -> list[str]:
    return COLUMNS + (ORG_COLUMNS if tailored is not None else [])


def _plain_rows(version: CatalogVersion) -> list[list[str]]:
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


def as_csv(version: CatalogVersion, tailored: Tailoring | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(tailored))
    writer.writerows(csv_row(values) for values in rows(version, tailored))
    # A BOM makes spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(version: CatalogVersion, tailored: Tailoring | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "MSC"
    sheet.append(header(tailored))
    for values in rows(version, tailored):
        sheet.append(xlsx_row(values))
    header_fill = PatternFill("solid", fgColor="0A4352")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
    widths = [8, 60, 50, 12, 28, 20, 10, 16, 12, 40, 30, 18, 16, 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    info = book.create_sheet("About")
    info.append(xlsx_row(["Catalog version", version.label]))
    info.append(xlsx_row(["Title", version.title]))
    if tailored is not None:
        info.append(xlsx_row(["Organisation", tailored.name]))
        info.append(xlsx_row(["Its entity types", ", ".join(tailored.entity_types) or "—"]))
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


TITLE_WORDS = 80  # characters a control's title holds before it ends with an ellipsis


def control_title(ident: str, requirement: str) -> str:
    """The ID and the requirement's first sentence, cut at a word (never mid-word) with "…"
    when it is longer than TITLE_WORDS; the whole text is the control's statement."""
    text = " ".join(requirement.split())
    first = text.split(". ", 1)[0].rstrip(".")
    if len(first) > TITLE_WORDS:
        first = first[: TITLE_WORDS + 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{ident} {first}"


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
                    "title": control_title(c["id"], c["requirement"]),
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


def own_catalog_filename(tailored: Tailoring) -> str:
    return f"safelane-{tailored.slug}-own-criteria-catalog.json"


def own_catalog(version: CatalogVersion, tailored: Tailoring) -> dict[str, Any]:
    """The organisation's own criteria as an OSCAL catalog of their own (a profile selects
    controls, it cannot define them)."""
    names = {c["number"]: c["name"] for c in version_as_document(version)["categories"]}
    groups: dict[int, list[dict[str, Any]]] = {}
    for own in tailored.own:
        cid = "own-" + "".join(ch if ch.isalnum() else "-" for ch in own.code.lower())
        parts: list[dict[str, Any]] = [
            {"id": f"{cid}_smt", "name": "statement", "prose": own.requirement}
        ]
        if own.guidance:
            parts.append({"id": f"{cid}_gdn", "name": "guidance", "prose": own.guidance})
        groups.setdefault(own.category or 0, []).append(
            {
                "id": cid,
                "class": "own-criterion",
                "title": control_title(own.code, own.requirement),
                "props": [
                    {"name": "label", "value": own.code},
                    {"name": "must-should", "ns": OSCAL_NS, "value": own.must_should},
                ],
                "parts": parts,
            }
        )
    return {
        "catalog": {
            "uuid": _uuid("own-catalog", tailored.slug, version.label),
            "metadata": {
                **_metadata(f"{tailored.name}: own criteria", version),
                "remarks": "The organisation's own criteria, kept beside the MSC.",
            },
            "groups": [
                {
                    "id": f"own-category-{number}",
                    "class": "msc-category",
                    "title": names.get(number, "") if number else "Other",
                    "controls": controls,
                }
                for number, controls in sorted(groups.items())
            ],
        }
    }


def org_profile(version: CatalogVersion, tailored: Tailoring) -> dict[str, Any]:
    """The organisation's tailoring of the MSC as an OSCAL profile: the criteria in scope for
    it (its entity types and its own decisions), its own criteria, and each decision with its
    reason as a property of the profile."""
    in_scope = [control_id(i) for i, fit in tailored.fits.items() if fit.in_scope]
    imports: list[dict[str, Any]] = [
        {"href": catalog_filename(version), "include-controls": [{"with-ids": in_scope}]}
        if in_scope
        else {
            "href": catalog_filename(version),
            "exclude-controls": [{"with-ids": [control_id(i) for i in tailored.fits]}],
        }
    ]
    if tailored.own:
        imports.append({"href": own_catalog_filename(tailored), "include-all": {}})
    decided = [
        {
            "name": "decision",
            "ns": OSCAL_NS,
            "value": fit.decision.decision,
            "class": control_id(ident),
            "remarks": fit.decision.justification or "—",
        }
        for ident, fit in tailored.fits.items()
        if fit.decision is not None
    ]
    entity = [{"name": "entity-type", "ns": OSCAL_NS, "value": c} for c in tailored.entity_types]
    metadata = _metadata(f"CTPAT MSC for {tailored.name}", version)
    if decided or entity:
        metadata["props"] = entity + decided
    return {
        "profile": {
            "uuid": _uuid("org-profile", tailored.slug, version.label),
            "metadata": metadata,
            "imports": imports,
            "merge": {"as-is": True},
        }
    }


def as_oscal_zip(version: CatalogVersion, tailored: Tailoring | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(catalog_filename(version), json.dumps(oscal_catalog(version), indent=2))
        for code in entity_types():
            name = f"safelane-msc-{version.label}-profile-{code}.json".replace(" ", "_")
            archive.writestr(name, json.dumps(oscal_profile(version, code), indent=2))
        if tailored is not None:
            if tailored.own:
                archive.writestr(
                    own_catalog_filename(tailored),
                    json.dumps(own_catalog(version, tailored), indent=2, ensure_ascii=False),
                )
            archive.writestr(
                f"safelane-{tailored.slug}-profile.json",
                json.dumps(org_profile(version, tailored), indent=2, ensure_ascii=False),
            )
    return out.getvalue()


def as_json_bytes(version: CatalogVersion, tailored: Tailoring | None = None) -> bytes:
    data = as_json(version, tailored)
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


@dataclass(frozen=True)
class Format:
    content_type: str
    extension: str
    build: Callable[[CatalogVersion, Tailoring | None], bytes]
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


def file_name(version: CatalogVersion, fmt: str, org_slug: str = "") -> str:
    chosen = FORMATS[fmt]
    whose = f"-{org_slug}" if org_slug else ""
    return f"safelane-msc-{version.label}{whose}{chosen.suffix}.{chosen.extension}"
