"""Reads of the restricted-party lists, for the pages and the apps that show a hit beside its
list entry (partners). With `services`, the screening app's public API.

- `active_snapshots()`: the active snapshot of each loaded list.
- `entry(entry_pk)`: one list entry with its names (a hit's `entry_pk`), or None.
- `addresses(entry_pks)`: the listed addresses of many entries at once (a review queue).
- `entries_by_id(list_name, entry_ids)`: entries by the list's own identifiers, in the active
  snapshot (or a given one), to show them side by side or to see whether they changed:
  compare a recorded hit's fingerprint with `ListEntry.fingerprint`; an entry that is gone from
  the active snapshot is missing from the result.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from safelane.screening.models import EntryName, ListEntry, ListSnapshot, RestrictedList

__all__ = [
    "RestrictedList",
    "active_snapshots",
    "addresses",
    "entries_by_id",
    "entry",
    "snapshots",
]


def active_snapshots() -> list[ListSnapshot]:
    return list(ListSnapshot.objects.filter(is_active=True).order_by("list_name"))


def snapshots(list_name: str | None = None) -> list[ListSnapshot]:
    """Every snapshot loaded (of one list), newest first."""
    rows = ListSnapshot.objects.all()
    if list_name:
        rows = rows.filter(list_name=list_name)
    return list(rows.order_by("list_name", "-loaded_at", "-id"))


def _with_names() -> Prefetch:
    return Prefetch("names", queryset=EntryName.objects.order_by("is_alias", "id"))


def entry(entry_pk: int) -> ListEntry | None:
    """A list entry with its snapshot and its names (as listed first, then the aliases)."""
    return (
        ListEntry.objects.select_related("snapshot")
        .prefetch_related(_with_names())
        .filter(pk=entry_pk)
        .first()
    )


def entries_by_id(
    list_name: str, entry_ids: Iterable[str], *, snapshot: ListSnapshot | None = None
) -> dict[str, ListEntry]:
    """The entries of one list by the list's own identifiers (OFAC ent_num, ...), from the
    active snapshot unless another is given; identifiers it does not hold are left out."""
    where: dict[str, object] = (
        {"snapshot": snapshot}
        if snapshot is not None
        else {"snapshot__list_name": list_name, "snapshot__is_active": True}
    )
    rows = ListEntry.objects.select_related("snapshot").prefetch_related(_with_names())
    return {row.entry_id: row for row in rows.filter(entry_id__in=list(entry_ids), **where)}


def addresses(entry_pks: Iterable[int]) -> dict[int, str]:
    """The addresses each entry lists (one a line), by entry pk, in one query."""
    return dict(ListEntry.objects.filter(pk__in=list(entry_pks)).values_list("pk", "addresses"))
