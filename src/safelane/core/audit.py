"""The audit trail: what changed, written in the same transaction as the change itself."""

from __future__ import annotations

import contextvars
import datetime
import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from safelane.core.models import AuditAction, AuditEntry, AuditSource, Person, Tenant

# Fields whose changes say nothing a reader of the trail needs.
UNAUDITED_FIELDS = frozenset({"version", "created_at", "updated_at", "password", "last_login"})

_source: contextvars.ContextVar[str] = contextvars.ContextVar(
    "audit_source", default=AuditSource.SYSTEM
)


@contextmanager
def audit_source(source: str) -> Iterator[None]:
    """Mark the changes made inside the block as coming from the web, the API, the CLI or a task."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The audited field values of a record, as JSON-ready values keyed by field name."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in UNAUDITED_FIELDS or field.primary_key:
            continue
        values[field.name] = jsonable(field.value_from_object(obj))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field name -> [old, new] for every field whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    *,
    org: Tenant,
    actor: Person | None,
    action: AuditAction,
    obj: models.Model,
    changes: dict[str, list[Any]],
) -> AuditEntry:
    return AuditEntry.objects.create(
        organisation=org,
        actor=actor,
        actor_label=actor.get_username() if actor else "",
        source=_source.get(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes,
    )


def record_updates(
    *,
    org: Tenant,
    actor: Person | None,
    changed: list[tuple[models.Model, dict[str, list[Any]]]],
    batch: int = 2000,
) -> None:
    """Many updates written in bulk (a derived value worked out again across a register): one
    entry per record, as `record` would write them, in batches."""
    if not changed:
        return
    content_type = ContentType.objects.get_for_model(changed[0][0])
    source = _source.get()
    label = actor.get_username() if actor else ""
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                organisation=org,
                actor=actor,
                actor_label=label,
                source=source,
                action=AuditAction.UPDATE,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                changes=jsonable(changes),
            )
            for obj, changes in changed
        ),
        batch_size=batch,
    )
