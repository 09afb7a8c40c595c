"""Reads of the audit trail that only the audit log pages need; the shared ones are in
`core.trail`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from safelane.core.models import AuditEntry

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


def object_types(org: Organisation) -> QuerySet[ContentType]:
    """The kinds of record that appear in this organisation's trail, for the filter."""
    ids = AuditEntry.objects.for_org(org).values("content_type_id").distinct()
    return ContentType.objects.filter(pk__in=ids).order_by("model")


def field_label(entry: AuditEntry, name: str) -> str:
    model = entry.content_type.model_class()
    if model is None:
        return name
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:
        return name


def readable_changes(entry: AuditEntry) -> list[dict[str, Any]]:
    return [
        {"field": field_label(entry, name), "old": values[0], "new": values[1]}
        for name, values in entry.changes.items()
    ]
