"""The CTPAT business entity types, read from data/entity-types.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Subtype:
    code: str
    name: str
    name_es: str

    @property
    def label(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name


@dataclass(frozen=True)
class EntityType:
    code: str
    name: str
    name_es: str
    portal_label: str
    basis: str
    subtypes: tuple[Subtype, ...]
    rules: tuple[str, ...]
    identifiers: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name

    def subtype(self, code: str) -> Subtype | None:
        return next((s for s in self.subtypes if s.code == code), None)


@cache
def entity_types() -> dict[str, EntityType]:
    raw = yaml.safe_load((DATA / "entity-types.yaml").read_text(encoding="utf-8"))
    return {
        item["code"]: EntityType(
            code=item["code"],
            name=item["name"],
            name_es=item["name_es"],
            portal_label=item["portal_label"],
            basis=item["basis"],
            subtypes=tuple(Subtype(**sub) for sub in item.get("subtypes", [])),
            rules=tuple(item["rules"]),
            identifiers=tuple(item["identifiers"]),
        )
        for item in raw["entity_types"]
    }


def entity_type(code: str) -> EntityType | None:
    return entity_types().get(code)


def choices() -> list[tuple[str, str]]:
    return [(et.code, et.label) for et in entity_types().values()]


_DROPPED = {"us", "u", "s", "licensed", "the", "and", "or", "of"}


def _plain(name: str) -> str:
    """A name reduced for comparison: no parenthesised part, punctuation, 'U.S.', 'licensed',
    'and'/'or', nor plural 's' ("U.S. Importers" and "U.S. Importer" read alike)."""
    text = re.sub(r"\(.*?\)", " ", name.lower().replace("&", " and "))
    words = re.sub(r"[^a-z0-9 ]+", " ", text).split()
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _DROPPED
    )


def by_document_name(name: str) -> EntityType | None:
    """The entity type an MSC document names in its heading ("Foreign Manufacturers",
    "U.S. Importers", "3PLs"): its name, its Portal label or its code, in the singular or the
    plural."""
    wanted = _plain(name)
    for kind in entity_types().values():
        if wanted in {_plain(kind.name), _plain(kind.portal_label), _plain(kind.code)}:
            return kind
    return None
