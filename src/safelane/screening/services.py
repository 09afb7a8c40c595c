"""Loading restricted-party lists, and screening names against them.

This module and `selectors` are the screening app's public API; other apps (partners) import
nothing else of it.

- `screen(candidates, threshold=None) -> list[Hit]`: the hits of each `Candidate` (a partner:
  key, name, other names, country, kind) against the active snapshots of every list, best first
  per candidate. A `Hit` names the entry (`entry_pk` for `selectors.entry`, and the list's own
  `entry_id`), the name or alias that matched, the score from 0 to 1 and the reasons, and carries
  what a recorded decision needs to be reopened later: the snapshot, the entry's fingerprint,
  the threshold and the matcher version.
- `default_threshold()`: the score from which a name is a hit (setting SCREENING_THRESHOLD).
- `load_list(actor=..., loaded=...)`, `load_files(...)`: a new snapshot, active if the files load
  whole (all or nothing; the previous snapshot stays active otherwise).
- `matcher()`: the in-memory matcher over the active snapshots, built once per process and
  rebuilt when another snapshot becomes active.
"""

from __future__ import annotations

import datetime
import gc
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from safelane.screening.countries import country_code
from safelane.screening.loaders import ListName, LoadedList, csl, dpl, ofac
from safelane.screening.matching import MATCHER_VERSION, ListedEntry, ListedName, Matcher
from safelane.screening.models import EntryName, ListEntry, ListSnapshot
from safelane.screening.normalise import NORMALISER_VERSION, normalise, tokens

if TYPE_CHECKING:
    from safelane.accounts.models import User

__all__ = [
    "MATCHER_VERSION",
    "Candidate",
    "Hit",
    "LoadResult",
    "default_threshold",
    "load_files",
    "load_list",
    "matcher",
    "screen",
    "screen_with",
]

BATCH = 2000


@dataclass(frozen=True)
class Candidate:
    """A party to screen. `country` is an ISO alpha-2 code (or an English country name);
    `kind` is "entity" or "individual" (or "vessel", "aircraft"); either may be None when
    unknown, and then lowers no score."""

    key: str
    name: str
    other_names: tuple[str, ...] = ()
    country: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Hit:
    key: str  # the candidate's key
    name: str  # the candidate's name (or other name) that matched
    list: str  # "ofac-sdn", "csl" or "dpl"
    entry_pk: int  # for selectors.entry()
    entry_id: str  # the list's own identifier (OFAC ent_num, ...)
    listed_name: str  # the entry's primary name
    matched_name: str  # the entry's name or alias that matched
    is_alias: bool
    score: float  # 0..1, three decimals
    reasons: tuple[str, ...]
    snapshot_id: int
    fingerprint: str
    threshold: float
    matcher_version: str = MATCHER_VERSION


@dataclass(frozen=True)
class LoadResult:
    snapshot: ListSnapshot
    created: bool  # False: the files are those of the active snapshot, nothing was loaded


def default_threshold() -> float:
    return float(settings.SCREENING_THRESHOLD)


# Loading


def read_files(list_name: str, path: Path) -> LoadedList:
    """The list in `path` (a directory for ofac-sdn, a file for csl and dpl); LoadError if not."""
    if list_name == ListName.OFAC_SDN:
        return ofac.read(path)
    if list_name == ListName.CSL:
        return csl.read(path)
    if list_name == ListName.DPL:
        return dpl.read(path)
    raise ValueError(list_name)


def load_files(
    *,
    actor: User | None,
    list_name: str,
    path: Path,
    label: str = "",
    published: datetime.date | None = None,
    announce: bool = True,
) -> LoadResult:
    """Read and load a list's files; LoadError (nothing written) if they cannot be read."""
    return load_list(
        actor=actor,
        loaded=read_files(list_name, path),
        label=label,
        published=published,
        announce=announce,
    )


# Who hears of a new active snapshot (the partners app screens every partner again): a list
# of callables registered in an app's ready(), called once the load has committed.
_listeners: list[Callable[[ListSnapshot], None]] = []


def on_new_snapshot(listener: Callable[[ListSnapshot], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


@transaction.atomic
def load_list(
    *,
    actor: User | None,
    loaded: LoadedList,
    label: str = "",
    published: datetime.date | None = None,
    announce: bool = True,
) -> LoadResult:
    """Store `loaded` as the list's new active snapshot, in one transaction; once it commits,
    the listeners hear of it (unless `announce` is off: the demo loads lists before partners)."""
    files = [{"name": f.name, "sha256": f.sha256} for f in loaded.files]
    active = (
        ListSnapshot.objects.select_for_update()
        .filter(list_name=loaded.list_name, is_active=True)
        .first()
    )
    if active is not None and active.source_files == files:
        return LoadResult(active, created=False)
    snapshot = ListSnapshot.objects.create(
        list_name=loaded.list_name,
        label=label,
        published=published or loaded.published,
        loaded_by=actor,
        source_files=files,
        entry_count=len(loaded.entries),
        name_count=loaded.name_count,
        normaliser_version=NORMALISER_VERSION,
    )
    rows = [
        ListEntry(
            snapshot=snapshot,
            entry_id=e.entry_id,
            kind=e.kind,
            name=e.name,
            programs=e.programs,
            countries=e.countries,
            addresses="\n".join(e.addresses),
            remarks=e.remarks,
            source_url=e.source_url,
            details=e.details,
            fingerprint=e.fingerprint(),
        )
        for e in loaded.entries
    ]
    created = ListEntry.objects.bulk_create(rows, batch_size=BATCH)
    forms: dict[str, str] = {}
    names = []
    for row, entry in zip(created, loaded.entries, strict=True):
        for listed in entry.names:
            form = forms.get(listed.name)
            if form is None:
                form = forms[listed.name] = normalise(listed.name)
            names.append(
                EntryName(
                    entry=row,
                    name=listed.name,
                    normalised=form,
                    is_alias=listed.is_alias,
                    alias_type=listed.alias_type,
                )
            )
    EntryName.objects.bulk_create(names, batch_size=BATCH)
    if active is not None:
        active.is_active = False
        active.save(update_fields=["is_active"])
    snapshot.is_active = True
    snapshot.save(update_fields=["is_active"])
    if announce:
        for listener in _listeners:
            transaction.on_commit(partial(listener, snapshot))
    return LoadResult(snapshot, created=True)


# The matcher, cached per process


_lock = threading.Lock()
_cached: tuple[tuple[tuple[int, datetime.datetime, int], ...], Matcher] | None = None


def _active_key() -> tuple[tuple[int, datetime.datetime, int], ...]:
    """What identifies the active snapshots (ids are reused after a rolled-back load on
    SQLite, so the load time counts too)."""
    return tuple(
        ListSnapshot.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "loaded_at", "normaliser_version")
    )


def build_matcher(snapshots: Sequence[int]) -> Matcher:
    """A matcher over the names of the given snapshots (three queries)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_matcher(snapshots)
    finally:
        if collecting:
            gc.enable()


def _build_matcher(snapshots: Sequence[int]) -> Matcher:
    entries: dict[int, ListedEntry] = {}
    rows = ListEntry.objects.filter(snapshot_id__in=snapshots).values_list(
        "pk",
        "snapshot__list_name",
        "entry_id",
        "kind",
        "countries",
        "name",
        "fingerprint",
        "snapshot_id",
    )
    for pk, list_name, entry_id, kind, countries, name, fingerprint, snapshot_id in rows.iterator(
        chunk_size=5000
    ):
        entries[pk] = ListedEntry(
            pk, list_name, entry_id, kind, frozenset(countries), name, fingerprint, snapshot_id
        )
    current = set(
        ListSnapshot.objects.filter(
            pk__in=snapshots, normaliser_version=NORMALISER_VERSION
        ).values_list("pk", flat=True)
    )
    names = EntryName.objects.filter(entry__snapshot_id__in=snapshots).values_list(
        "entry_id", "name", "normalised", "is_alias", "alias_type"
    )
    listed = []
    for entry_pk, name, form, is_alias, alias_type in names.iterator(chunk_size=5000):
        entry = entries[entry_pk]
        words = tuple(form.split()) if entry.snapshot_id in current else tuple(tokens(name))
        listed.append(ListedName(entry, name, words, is_alias, alias_type))
    return Matcher(listed)


def matcher() -> Matcher:
    """The matcher over the active snapshots; rebuilt only when they change."""
    global _cached
    key = _active_key()
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = None
            _cached = (key, build_matcher([pk for pk, _loaded, _version in key]))
            # The index lives as long as the process: keep the cyclic collector off it (its
            # objects are still freed when the next snapshot replaces it).
            gc.freeze()
        return _cached[1]


# Screening


def screen(candidates: Iterable[Candidate], *, threshold: float | None = None) -> list[Hit]:
    """Every hit of every candidate at or above `threshold` (default_threshold() when None),
    best first per candidate, against the active snapshots of every list."""
    return screen_with(matcher(), candidates, threshold=threshold)


def screen_with(
    engine: Matcher, candidates: Iterable[Candidate], *, threshold: float | None = None
) -> list[Hit]:
    """`screen` with a given matcher (a process that screens many files keeps one)."""
    threshold = default_threshold() if threshold is None else threshold
    hits: list[Hit] = []
    for candidate in candidates:
        best: dict[int, Hit] = {}
        country = country_code(candidate.country)
        kind = (candidate.kind or "").lower() or None
        for name in (candidate.name, *candidate.other_names):
            if not name or not name.strip():
                continue
            for match in engine.match(name, country=country, kind=kind, threshold=threshold):
                entry = match.entry
                if entry.pk in best and best[entry.pk].score >= match.score:
                    continue
                best[entry.pk] = Hit(
                    key=candidate.key,
                    name=name,
                    list=entry.list,
                    entry_pk=entry.pk,
                    entry_id=entry.entry_id,
                    listed_name=entry.name,
                    matched_name=match.matched_name,
                    is_alias=match.is_alias,
                    score=match.score,
                    reasons=match.reasons,
                    snapshot_id=entry.snapshot_id,
                    fingerprint=entry.fingerprint,
                    threshold=threshold,
                )
        hits.extend(sorted(best.values(), key=lambda h: (-h.score, h.list, h.entry_id)))
    return hits
