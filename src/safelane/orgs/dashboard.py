"""The dashboard's "where we stand" tiles, which domain apps register without `orgs` knowing them.

A domain app registers a function in its `AppConfig.ready()`; the function gets the organisation
and the member looking, reads through its own selectors (a fixed number of queries, however much
data there is) and returns a `Tile`, or None when it has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

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


def register(order: int, function: TileFunction) -> None:
    """Show `function`'s tile on every dashboard, sorted by `order` (the road to certification)."""
    if all(f is not function for _, f in _tiles):
        _tiles.append((order, function))
        _tiles.sort(key=lambda pair: pair[0])


def tiles(org: Organisation, user: User) -> list[Tile]:
    return [tile for _, function in _tiles if (tile := function(org, user)) is not None]
