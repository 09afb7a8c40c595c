"""Generic writes of organisation records: values checked, version check, audit entry, one
transaction.

Domain services call these so that no write forgets the audit trail, the conflict check, or the
check that the database (and every export) can hold the values.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.core import audit
from safelane.core.errors import ConflictError, DomainError, DuplicateError
from safelane.core.models import AuditAction, Person, Tenant, Versioned

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Versioned)

# Characters no text of a record may hold: C0 controls other than tab, newline and carriage
# return, DEL, C1 controls, and the two non-characters. PostgreSQL refuses NUL outright; the
# others break XLSX and Word files (XML cannot hold them) long after they were typed.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def holds_control_character(value: Any) -> bool:
    """Whether a text, or any text inside a list or mapping (a JSON field's value, such as an
    action's criteria), holds a character no record may hold."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(
            holds_control_character(k) or holds_control_character(v) for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return any(holds_control_character(item) for item in value)
    return False


def check_values(obj: models.Model, names: set[str] | None = None) -> None:
    """Refuse values the database would refuse or that would break a document: too long, too
    many digits, out of range, not one of the choices, or holding control characters.

    `names` limits the check to the fields being written (an update). Raises DomainError naming
    the field; nothing has been written.
    """
    fields = [
        f
        for f in obj._meta.concrete_fields
        if not f.is_relation and not f.primary_key and (names is None or f.name in names)
    ]
    for field in fields:
        value = field.value_from_object(obj)
        if holds_control_character(value):
            raise DomainError(
                _("%(field)s holds a control character; remove it and try again.")
                % {"field": str(field.verbose_name).capitalize()},
                field=field.name,
            )
    checked = {f.name for f in fields}
    try:
        obj.clean_fields(exclude=[f.name for f in obj._meta.fields if f.name not in checked])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        label = str(getattr(obj._meta.get_field(name), "verbose_name", name)).capitalize()
        raise DomainError(f"{label}: {messages[0]}", field=name) from None


def lock(org: Tenant) -> None:
    """Hold the organisation's row until the transaction ends, so that a check made before a
    write (is this e-mail invited yet? has this code a rate?) still holds when the write is
    made: two requests doing the same check-then-create for one organisation go one at a time.
    Call it inside the transaction of the change (every writing request has one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() holds the row for a transaction: call it inside one")
    list(type(org)._base_manager.select_for_update().filter(pk=org.pk).values_list("pk"))


def _scoped(model: type[models.Model], org: Tenant) -> models.QuerySet[Any]:
    """The stored records of `model` that `org` may write: its own (or the organisation itself)."""
    if hasattr(model.objects, "for_org"):  # type: ignore[attr-defined]
        return model.objects.for_org(org)  # type: ignore[attr-defined]
    return model._base_manager.all()


def _duplicate() -> DuplicateError:
    return DuplicateError(
        _(
            "This record already exists: someone may have added it a moment ago. Reload the "
            "page to see it."
        )
    )


def create_record(
    *, org: Tenant, actor: Person | None, obj: M, also: dict[str, Any] | None = None
) -> M:
    """Save a new record and write its creation, with every field, to the audit trail.

    `also` adds facts to the same entry (such as what a copy brought along). A record that
    clashes with one saved meanwhile (a unique rule) raises DuplicateError.
    """
    check_values(obj)
    with transaction.atomic():
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
        except IntegrityError:
            raise _duplicate() from None
        audit.record(
            org=org,
            actor=actor,
            action=AuditAction.CREATE,
            obj=obj,
            changes={
                **audit.diff({}, audit.snapshot(obj)),
                **{name: [None, audit.jsonable(value)] for name, value in (also or {}).items()},
            },
        )
    return obj


# What a copy never carries over: the copy's own identity and history.
NOT_COPIED = frozenset({"id", "version", "created_at", "updated_at"})


def copied(obj: M, *, keep_out: frozenset[str] = frozenset(), **values: Any) -> M:
    """An unsaved copy of `obj` with every concrete field carried over, except its identity
    (NOT_COPIED), the fields named in `keep_out`, and those given in `values`. A field added to
    the model later is copied too, without anyone remembering to."""
    fields = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in NOT_COPIED | keep_out | set(values) and f.attname not in values
    }
    return type(obj)(**fields, **values)


def update_record(
    *,
    org: Tenant,
    actor: Person | None,
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
        current = _scoped(model, org).select_for_update().get(pk=obj.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else saved this record while you were editing it. "
                    "Nothing of yours was saved."
                ),
                current=current,
            )
        before = audit.snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        check_values(current, set(values))
        changes = audit.diff(before, audit.snapshot(current))
        if not changes:
            return current
        current.version += 1
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise _duplicate() from None
        audit.record(org=org, actor=actor, action=AuditAction.UPDATE, obj=current, changes=changes)
    return current


def delete_record(*, org: Tenant, actor: Person | None, obj: models.Model) -> None:
    """Delete a record and keep its last field values in the audit trail."""
    with transaction.atomic():
        changes = audit.diff(audit.snapshot(obj), {})
        audit.record(org=org, actor=actor, action=AuditAction.DELETE, obj=obj, changes=changes)
        obj.delete()


def set_archived(
    *,
    org: Tenant,
    actor: Person | None,
    obj: V,
    archived: bool,
    expected_version: int | None,
    refusal: str,
) -> V:
    """Archive a record (it stays on record, off the lists) or restore it, as its author saw it
    (`expected_version`); `refusal` is said when it is so already. Checked under the row's lock,
    so two managers archiving at once make one change."""
    with transaction.atomic():
        stored = _scoped(type(obj), org).select_for_update().get(pk=obj.pk)
        if (getattr(stored, "archived_at", None) is not None) == archived:
            raise DomainError(refusal)
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"archived_at": timezone.now() if archived else None},
        )
