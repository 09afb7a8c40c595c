"""Reads of the audit trail: the log, object histories, exports and the API share them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

from safelane.core.models import AuditEntry, Tenant


@dataclass(frozen=True)
class AuditFilter:
    actor: int | None = None
    action: str | None = None
    content_type: int | None = None
    object_id: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    text: str | None = None


def entries(org: Tenant, where: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.for_org(org).select_related("actor", "content_type")
    if where is None:
        return qs
    if where.actor:
        qs = qs.filter(actor_id=where.actor)
    if where.action:
        qs = qs.filter(action=where.action)
    if where.content_type:
        qs = qs.filter(content_type_id=where.content_type)
    if where.object_id:
        qs = qs.filter(object_id=where.object_id)
    if where.since:
        qs = qs.filter(created_at__date__gte=where.since)
    if where.until:
        qs = qs.filter(created_at__date__lte=where.until)
    if where.text:
        qs = qs.filter(object_repr__icontains=where.text)
    return qs


def recent_entries(org: Tenant, *, limit: int) -> list[AuditEntry]:
    return list(entries(org)[:limit])


def object_history(org: Tenant, obj: models.Model, *, limit: int) -> list[AuditEntry]:
    return list(entries(org).for_object(obj)[:limit])  # type: ignore[attr-defined]
