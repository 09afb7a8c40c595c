"""Reading catalog files, checking them, comparing editions and loading them as a new version.

A broken file is refused whole, with the file, line and field of every problem.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from safelane.catalog.entity_types import entity_types
from safelane.catalog.models import Applicability, CatalogVersion, Category, Criterion, sort_key

if TYPE_CHECKING:
    from safelane.accounts.models import User

DATA = Path(__file__).resolve().parent / "data"
BUNDLED = DATA / "msc-2019-11.yaml"
COMPARED_FIELDS = (
    "category",
    "must_should",
    "must_should_basis",
    "confidence",
    "requirement",
    "guidance",
    "evidence",
    "applies_to",
    "not_for",
    "designations",
    "note",
)


class CatalogFileError(Exception):
    """The file is not a valid catalog. `problems` lists 'file:line: field: message' strings."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@cache
def _schema() -> dict[str, Any]:
    return dict(json.loads((DATA / "schema.json").read_text(encoding="utf-8")))


def _line_of(node: yaml.Node | None, path: list[Any]) -> int | None:
    """The line (1-based) of the YAML node at `path`, or of its nearest existing parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _field_name(path: list[Any], data: Any) -> str:
    parts: list[str] = []
    cursor = data
    for step in path:
        if isinstance(step, int) and isinstance(cursor, list):
            cursor = cursor[step] if step < len(cursor) else None
            ident = cursor.get("id") if isinstance(cursor, dict) else None
            parts.append(f"[{ident}]" if ident else f"[{step}]")
        else:
            parts.append(f".{step}" if parts else str(step))
            cursor = cursor.get(step) if isinstance(cursor, dict) else None
    return "".join(parts) or "(top level)"


def validate(data: Any, *, name: str, root: yaml.Node | None = None) -> None:
    """Check a catalog document against the schema and Safelane's own rules."""
    validator = jsonschema.Draft202012Validator(_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        line = _line_of(root, path)
        where = f"{name}:{line}" if line else name
        problems.append(f"{where}: {_field_name(path, data)}: {error.message}")
    if problems:
        raise CatalogFileError(problems)
    numbers = {c["number"] for c in data["categories"]}
    known_types = set(entity_types())
    seen: set[str] = set()
    for index, item in enumerate(data["criteria"]):
        item_path: list[Any] = ["criteria", index]
        where = f"{name}:{_line_of(root, item_path)}" if root is not None else name
        ident = item["id"]
        if ident in seen:
            problems.append(f"{where}: criteria[{ident}].id: {ident} appears more than once")
        seen.add(ident)
        if item["category"] not in numbers:
            problems.append(f"{where}: criteria[{ident}].category: no category {item['category']}")
        elif int(ident.split(".")[0]) != item["category"]:
            problems.append(
                f"{where}: criteria[{ident}].category: the ID says category "
                f"{ident.split('.')[0]}, the field says {item['category']}"
            )
        for key in ("applies_to", "not_for"):
            for code in item.get(key, {}):
                if code not in known_types:
                    problems.append(f"{where}: criteria[{ident}].{key}: unknown entity type {code}")
        loose = set(item.get("designations", {})) - set(item.get("applies_to", {}))
        if loose:
            problems.append(
                f"{where}: criteria[{ident}].designations: {', '.join(sorted(loose))} not in "
                "applies_to"
            )
        both = set(item.get("applies_to", {})) & set(item.get("not_for", {}))
        if both:
            problems.append(
                f"{where}: criteria[{ident}]: {', '.join(sorted(both))} both in applies_to "
                "and not_for"
            )
    if problems:
        raise CatalogFileError(problems)


def parse_yaml(text: str, *, name: str) -> dict[str, Any]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise CatalogFileError([f"{name}{line}: {getattr(exc, 'problem', exc)}"]) from None
    validate(data, name=name, root=root)
    return dict(data)


def canonical(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Criteria by ID with defaults filled in, so that two editions compare field by field."""
    return {
        item["id"]: {
            "category": item["category"],
            "must_should": item["must_should"],
            "must_should_basis": item["must_should_basis"],
            "confidence": item["confidence"],
            "requirement": item["requirement"].strip(),
            "guidance": item.get("guidance", "").strip(),
            "evidence": [e.strip() for e in item.get("evidence", [])],
            "requirement_es": item.get("requirement_es", "").strip(),
            "guidance_es": item.get("guidance_es", "").strip(),
            "evidence_es": [e.strip() for e in item.get("evidence_es", [])],
            "applies_to": dict(sorted(item.get("applies_to", {}).items())),
            "not_for": dict(sorted(item.get("not_for", {}).items())),
            "designations": dict(sorted(item.get("designations", {}).items())),
            "note": item.get("note", "").strip(),
        }
        for item in data["criteria"]
    }


@dataclass
class CatalogDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list[Any]]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed, "changed": self.changed}


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> CatalogDiff:
    diff = CatalogDiff(
        added=sorted(set(new) - set(old), key=sort_key),
        removed=sorted(set(old) - set(new), key=sort_key),
    )
    for ident in sorted(set(old) & set(new), key=sort_key):
        fields = {
            name: [old[ident][name], new[ident][name]]
            for name in COMPARED_FIELDS
            if old[ident][name] != new[ident][name]
        }
        if fields:
            diff.changed[ident] = fields
    return diff


def version_as_document(version: CatalogVersion) -> dict[str, Any]:
    """A stored version in the file layout, for comparison and export."""
    categories = list(version.categories.all())
    criteria = version.criteria.select_related("category").prefetch_related("applicability")
    focus_areas = {
        slugify(c.focus_area): {
            "key": slugify(c.focus_area),
            "name": c.focus_area,
            "name_es": c.focus_area_es,
        }
        for c in categories
    }
    return {
        "format": "safelane-msc-catalog/1",
        "version": version.label,
        "title": version.title,
        "revision_note": version.revision_note,
        "focus_areas": list(focus_areas.values()),
        "categories": [
            {
                "number": c.number,
                "name": c.name,
                "name_es": c.name_es,
                "focus_area": slugify(c.focus_area),
            }
            for c in categories
        ],
        "criteria": [
            {
                "id": c.ident,
                "category": c.category.number,
                "must_should": c.must_should,
                "must_should_basis": c.must_should_basis,
                "confidence": c.confidence,
                "requirement": c.requirement,
                "guidance": c.guidance,
                "evidence": list(c.evidence),
                "requirement_es": c.requirement_es,
                "guidance_es": c.guidance_es,
                "evidence_es": list(c.evidence_es),
                "applies_to": {a.entity_type: a.basis for a in c.applicability.all() if a.applies},
                "not_for": {a.entity_type: a.basis for a in c.applicability.all() if not a.applies},
                "designations": {
                    a.entity_type: a.must_should for a in c.applicability.all() if a.must_should
                },
                "note": c.note,
            }
            for c in criteria
        ],
    }


@dataclass
class LoadResult:
    version: CatalogVersion
    diff: CatalogDiff
    created: bool


def load(
    data: dict[str, Any], *, source: str, actor: User | None = None, label: str | None = None
) -> LoadResult:
    """Make `data` the current catalog. Nothing is created when it equals the current one."""
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    with transaction.atomic():
        current = CatalogVersion.objects.select_for_update().filter(is_current=True).first()
        old = canonical(version_as_document(current)) if current else {}
        diff = compare(old, canonical(data))
        if current is not None and diff.is_empty:
            return LoadResult(current, diff, created=False)
        label = label or data["version"]
        if CatalogVersion.objects.filter(label=label).exists():
            raise CatalogFileError(
                [
                    _(
                        "A catalog version called %(label)s exists already; give this one another name."
                    )
                    % {"label": label}
                ]
            )
        CatalogVersion.objects.filter(is_current=True).update(is_current=False)
        version = CatalogVersion.objects.create(
            label=label,
            title=data["title"],
            revision_note=data.get("revision_note", ""),
            source=source[:255],
            sha256=hashlib.sha256(payload).hexdigest(),
            loaded_by=actor,
            is_current=True,
            previous=current,
            changes=diff.as_dict(),
        )
        focus = {f["key"]: f for f in data.get("focus_areas", [])}
        categories = {
            c["number"]: Category.objects.create(
                version=version,
                number=c["number"],
                name=c["name"],
                name_es=c.get("name_es", ""),
                focus_area=focus.get(c["focus_area"], {}).get("name", c["focus_area"]),
                focus_area_es=focus.get(c["focus_area"], {}).get("name_es", ""),
            )
            for c in data["categories"]
        }
        criteria = Criterion.objects.bulk_create(
            [
                Criterion(
                    version=version,
                    ident=item["id"],
                    position=sort_key(item["id"]),
                    category=categories[item["category"]],
                    must_should=item["must_should"],
                    must_should_basis=item["must_should_basis"],
                    confidence=item["confidence"],
                    requirement=item["requirement"].strip(),
                    guidance=item.get("guidance", "").strip(),
                    evidence=[e.strip() for e in item.get("evidence", [])],
                    requirement_es=item.get("requirement_es", "").strip(),
                    guidance_es=item.get("guidance_es", "").strip(),
                    evidence_es=[e.strip() for e in item.get("evidence_es", [])],
                    note=item.get("note", "").strip(),
                )
                for item in data["criteria"]
            ]
        )
        by_ident = {c.ident: c for c in criteria}
        Applicability.objects.bulk_create(
            [
                Applicability(
                    criterion=by_ident[item["id"]],
                    entity_type=code,
                    applies=applies,
                    basis=basis,
                    must_should=item.get("designations", {}).get(code, "") if applies else "",
                )
                for item in data["criteria"]
                for applies, key in ((True, "applies_to"), (False, "not_for"))
                for code, basis in item.get(key, {}).items()
            ]
        )
    return LoadResult(version, diff, created=True)


def next_label(label: str) -> str:
    """A name for an edited edition: the base version and the time of the edit."""
    base = label.split("+")[0]
    return f"{base}+{timezone.now():%Y%m%d-%H%M%S}"


BUNDLED_SOURCE = f"bundled file {BUNDLED.name}"


def ensure_bundled_catalog(using: str = "default") -> None:
    """A new database gets the bundled edition. One whose current edition is an earlier bundled
    one gets the new bundled edition as its next edition (self-assessments stay on the edition
    they started with). One whose current edition was loaded here (an import, an official
    document) keeps it: loading the file over it would undo that work, so an administrator
    loads the new edition with `safelane catalog load` when ready."""
    if using != "default":
        return
    current = CatalogVersion.objects.filter(is_current=True).first()
    data = parse_yaml(BUNDLED.read_text(encoding="utf-8"), name=BUNDLED.name)
    if current is not None and (
        current.source != BUNDLED_SOURCE
        or CatalogVersion.objects.filter(label=data["version"]).exists()
    ):
        return
    load(data, source=BUNDLED_SOURCE)
