"""The dashboard's "where we stand" tiles, which domain apps register without `orgs` knowing them.

A domain app registers a function in its `AppConfig.ready()`; the function gets the organisation
and the member looking, reads through its own selectors (a fixed number of queries, however much
data there is) and returns a `Tile`, or None when it has nothing to say.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


@dataclass(frozen=True)
class Tile:
    title: str | Promise
    figure: str | Promise
    detail: str | Promise
    url: str
    tone: str = ""  # "", "ok", "warn" or "bad"
    link_text: str | Promise = ""


TileFunction = Callable[["Organisation", "User"], Tile | None]
_tiles: list[tuple[int, TileFunction]] = []


T = TypeVar("T")
_shared: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "dashboard_shared", default=None
)


@contextlib.contextmanager
def sharing() -> Iterator[None]:
    """While the dashboard gathers its tiles and its road, a reading two of them need (the
    application's readiness) is worked out once; outside, every call reads afresh."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def once(key: Any, read: Callable[[], T]) -> T:
    """`read()`, or the value it gave earlier in the same `sharing()` block."""
    found = _shared.get()
    if found is None:
        return read()
    if key not in found:
        found[key] = read()
    return found[key]


def register(order: int, function: TileFunction) -> None:
    """Show `function`'s tile on every dashboard, sorted by `order` (the road to certification)."""
    if all(f is not function for _, f in _tiles):
        _tiles.append((order, function))
        _tiles.sort(key=lambda pair: pair[0])


def tiles(org: Organisation, user: User) -> list[Tile]:
    return [tile for _, function in _tiles if (tile := function(org, user)) is not None]


# The road to certification: its steps are orgs' own words; a domain app says where each step is
# done and how far along the organisation is (a fixed number of queries, like a tile).

NOT_STARTED, IN_PROGRESS, DONE = "not-started", "in-progress", "done"
STATE_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    DONE: gettext_lazy("Done"),
}


@dataclass(frozen=True)
class Progress:
    url: str
    state: str  # NOT_STARTED, IN_PROGRESS or DONE
    note: str | Promise = ""  # "3 of 9 ready"


@dataclass(frozen=True)
class RoadStep:
    key: str
    title: str | Promise
    text: str | Promise
    progress: Progress | None  # None: no app tracks this step (yet)

    @property
    def state_label(self) -> str | Promise:
        return STATE_LABELS[self.progress.state] if self.progress else ""


ROAD = (
    (
        "eligibility",
        gettext_lazy("Check eligibility"),
        gettext_lazy(
            "Confirm your business entity type qualifies, and prepare your company profile and "
            "identifiers."
        ),
    ),
    (
        "self-assessment",
        gettext_lazy("Assess yourself against the Minimum Security Criteria"),
        gettext_lazy(
            "Document what you already do for every criterion that applies to you, and find the "
            "gaps."
        ),
    ),
    (
        "risk",
        gettext_lazy("Assess supply-chain risk"),
        gettext_lazy("Map your supply chain, rate threats and vulnerabilities, and plan actions."),
    ),
    (
        "gaps",
        gettext_lazy("Close the gaps"),
        gettext_lazy("Turn gaps and risks into actions with owners, dates and budgets."),
    ),
    (
        "profile",
        gettext_lazy("File your security profile and pass validation"),
        gettext_lazy("Then stay compliant: annual review, yearly risk assessment, revalidation."),
    ),
)
ProgressFunction = Callable[["Organisation"], Progress]
_progress: dict[str, ProgressFunction] = {}


def register_step(key: str, function: ProgressFunction) -> None:
    """Let `function` say where step `key` of the road is done and how far along it is."""
    assert key in {k for k, _t, _x in ROAD}, f"{key} is not a step of the road"
    _progress[key] = function


def road(org: Organisation) -> list[RoadStep]:
    return [
        RoadStep(key, title, text, _progress[key](org) if key in _progress else None)
        for key, title, text in ROAD
    ]
