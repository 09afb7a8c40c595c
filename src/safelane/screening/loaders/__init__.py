"""Reading the restricted-party lists in the formats the U.S. Government publishes them.

Each loader is a pure function from files (bytes or paths) to a `LoadedList`, one module per
format: `ofac` (the SDN legacy CSV files), `csl` (the Consolidated Screening List, CSV or JSON)
and `dpl` (the BIS Denied Persons List). A file that cannot be read whole is refused with a
`LoadError` naming the file, line and reason of every problem; nothing is partly loaded.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field


class ListName:
    OFAC_SDN = "ofac-sdn"
    CSL = "csl"
    DPL = "dpl"


KINDS = ("entity", "individual", "vessel", "aircraft", "unknown")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


class LoadError(Exception):
    """The files cannot be loaded; `problems` says where and why, one per problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class SourceFile:
    name: str
    sha256: str

    @classmethod
    def of(cls, name: str, content: bytes) -> SourceFile:
        return cls(name, hashlib.sha256(content).hexdigest())


@dataclass(frozen=True)
class NameRow:
    name: str
    is_alias: bool = False
    alias_type: str = ""  # aka, fka or nka for an alias


@dataclass
class EntryRow:
    entry_id: str  # the list's own identifier (OFAC ent_num, CSL entity number or id, ...)
    kind: str
    name: str
    aliases: list[NameRow] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    remarks: str = ""
    source_url: str = ""
    # List-specific fields, shown beside a hit (title, vessel details, dates, citations...).
    details: dict[str, str] = field(default_factory=dict)

    # Fields of `details` that say who the party is (a decision on a hit is reopened when one
    # changes), as opposed to how it is listed (programs, citations, dates of the listing).
    IDENTIFYING_DETAILS = (
        "title",
        "call_sign",
        "vessel_type",
        "vessel_flag",
        "vessel_owner",
        "dates_of_birth",
        "places_of_birth",
        "nationalities",
        "citizenships",
        "ids",
    )

    @property
    def names(self) -> list[NameRow]:
        return [NameRow(self.name), *self.aliases]

    def fingerprint(self) -> str:
        """SHA-256 of the entry's names and identifying fields."""
        identity = {
            "kind": self.kind,
            "name": self.name,
            "aliases": sorted([a.alias_type, a.name] for a in self.aliases),
            "countries": sorted(self.countries),
            "addresses": self.addresses,
            "remarks": self.remarks,
            "details": {
                k: self.details[k] for k in self.IDENTIFYING_DETAILS if self.details.get(k)
            },
        }
        text = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class LoadedList:
    list_name: str
    files: list[SourceFile]
    entries: list[EntryRow]
    published: datetime.date | None = None

    @property
    def name_count(self) -> int:
        return sum(1 + len(e.aliases) for e in self.entries)


def clean(value: str | None) -> str:
    """A cell's text without surrounding space and without OFAC's `-0-` for empty."""
    text = (value or "").strip()
    return "" if text == "-0-" else text


def add_country(countries: list[str], code: str | None) -> None:
    if code and code not in countries:
        countries.append(code)
