"""One search box over the organisation's records, which domain apps register without `orgs`
knowing them (like the dashboard's tiles).

A domain app registers a `Source` in its `AppConfig.ready()`: a function that gets the
organisation, the text and a limit, reads through its own selectors (one query, however much
data there is: it asks for one row more than it shows, to know whether there are more) and
returns `Result`s; and, where the app's list page filters by the same text (`?q=`), the address
that shows them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

MIN_LENGTH = 2
MAX_LENGTH = 100
SHOWN = 5  # results per kind of record


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Source:
    label: str | Promise  # the kind of record, plural: "Actions"
    find: Callable[[Organisation, str, int], list[Result]]  # at most `limit` results
    list_view: str = ""  # a list page's URL name that filters by ?q=


@dataclass(frozen=True)
class Found:
    label: str | Promise
    results: list[Result]
    more_url: str  # "" when every match is shown


_sources: list[tuple[int, Source]] = []


def register(order: int, source: Source) -> None:
    """Search `source` on every search, its results shown in `order`."""
    if all(s.find is not source.find for _, s in _sources):
        _sources.append((order, source))
        _sources.sort(key=lambda pair: pair[0])


def clean(text: str) -> str:
    """The text as searched: control characters dropped, spaces collapsed, cut to MAX_LENGTH."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())[:MAX_LENGTH]


def search(org: Organisation, text: str) -> list[Found]:
    """Each source's first matches; nothing for a text shorter than MIN_LENGTH."""
    text = clean(text)
    if len(text) < MIN_LENGTH:
        return []
    found = []
    for _, source in _sources:
        results = source.find(org, text, SHOWN + 1)
        if not results:
            continue
        more = ""
        if len(results) > SHOWN and source.list_view:
            more = reverse(source.list_view, args=[org.slug]) + "?" + urlencode({"q": text})
        found.append(Found(source.label, results[:SHOWN], more))
    return found
