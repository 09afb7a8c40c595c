"""The bundled list snapshots, read once per test module, and a matcher over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from safelane.screening.loaders import LoadedList, csl, dpl, ofac
from safelane.screening.matching import ListedEntry, ListedName, Matcher
from safelane.screening.normalise import tokens

SNAPSHOTS = (
    Path(__file__).resolve().parents[2] / "src" / "safelane" / "screening" / "data" / "snapshots"
)


def read_all() -> list[LoadedList]:
    return [
        ofac.read(SNAPSHOTS),
        dpl.read(SNAPSHOTS / "dpl.txt"),
        csl.read(SNAPSHOTS / "csl-sample.csv"),
    ]


def matcher_over(lists: list[LoadedList]) -> Matcher:
    names = []
    for number, loaded in enumerate(lists):
        for row, entry in enumerate(loaded.entries):
            listed = ListedEntry(
                pk=number * 100_000 + row,
                list=loaded.list_name,
                entry_id=entry.entry_id,
                kind=entry.kind,
                countries=frozenset(entry.countries),
                name=entry.name,
            )
            for name in entry.names:
                names.append(
                    ListedName(
                        listed, name.name, tuple(tokens(name.name)), name.is_alias, name.alias_type
                    )
                )
    return Matcher(names)


@pytest.fixture(scope="module")
def lists() -> list[LoadedList]:
    return read_all()


@pytest.fixture(scope="module")
def matcher(lists) -> Matcher:
    return matcher_over(lists)
