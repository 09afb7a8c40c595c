"""Generic writes of organisation records: version check, audit entry, one transaction.

Domain services call these so that no write forgets the audit trail or the conflict check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from safelane.core import audit
from safelane.core.errors import ConflictError
from safelane.core.models import AuditAction, Versioned

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Versioned)


def create_record(*, org: Organisation, actor: User | None, obj: M) -> M:
    """Save a new record and write its creation, with every field, to the audit trail."""
    with transaction.atomic():
        obj.save(force_insert=True)
        audit.record(
            org=org,
            actor=actor,
            action=AuditAction.CREATE,
            obj=obj,
            changes=audit.diff({}, audit.snapshot(obj)),
        )
    return obj


def update_record(
    *,
    org: Organisation,
    actor: User | None,
    obj: V,
    expected_version: int | None,
    values: dict[str, Any],
) -> V:
    """Apply `values` to the stored record if nobody has saved it since `expected_version`.

    Raises ConflictError, carrying the stored record, when the versions differ. Saves nothing
    and writes no audit entry when no value actually changes.
    """
    model = type(obj)
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=obj.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else saved this record while you were editing it. "
                    "Nothing of yours was saved: compare your changes with theirs below."
                ),
                current=current,
            )
        before = audit.snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        changes = audit.diff(before, audit.snapshot(current))
        if not changes:
            return current
        current.version += 1
        current.save()
        audit.record(org=org, actor=actor, action=AuditAction.UPDATE, obj=current, changes=changes)
    return current


def delete_record(*, org: Organisation, actor: User | None, obj: models.Model) -> None:
    """Delete a record and keep its last field values in the audit trail."""
    with transaction.atomic():
        changes = audit.diff(audit.snapshot(obj), {})
        audit.record(org=org, actor=actor, action=AuditAction.DELETE, obj=obj, changes=changes)
        obj.delete()
