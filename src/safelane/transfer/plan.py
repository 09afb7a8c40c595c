"""What an organisation archive carries, worked out from the app registry at run time.

Every subclass of `TenantModel` is carried, with the organisation itself, the people its rows
name and its audit trail, so a model added by a later app is carried without anyone listing it.
Each field is read by what it is: a link to another carried row (named by the row's export key,
never its database id), to a person (by e-mail), to shared reference data (by its unique name),
a content type and id pair (evidence links, action origins, audit entries), a stored file, or
a plain value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from safelane.core.models import AuditEntry, TenantModel

# Rows that are not carried, and why. Background jobs are passing work whose results are
# downloads that expire (and an archive holding the jobs that built archives would change each
# time); the log of exports and imports describes archives, so no archive can hold it. Links to
# them are carried as empty, and audit entries about them are left out.
LEFT_OUT = {
    "jobs.job": "background work in passing",
    "transfer.transfer": "the log of archives made and loaded",
}

ORG = "org"


def label(model: Any) -> str:
    return model._meta.label_lower


def org_model() -> Any:
    return apps.get_model(settings.TENANT_MODEL)


def user_model() -> Any:
    return apps.get_model(settings.AUTH_USER_MODEL)


def tenant_models() -> list[type[models.Model]]:
    """Every organisation-owned model installed, by label."""
    found = [m for m in apps.get_models() if issubclass(m, TenantModel)]
    return sorted(found, key=label)


def carried_models() -> list[type[models.Model]]:
    return [m for m in tenant_models() if label(m) not in LEFT_OUT]


@dataclass(frozen=True)
class Field:
    """One column as the archive writes it."""

    name: str
    kind: str  # value, row, org, person, shared, type, generic, file, empty, fresh
    field: models.Field
    target: Any = None
    type_field: str = ""  # for a generic id: the content type column beside it

    @property
    def attname(self) -> str:
        return self.field.attname


@dataclass(frozen=True)
class Plan:
    model: type[models.Model]
    fields: tuple[Field, ...]
    many: tuple[models.ManyToManyField, ...]  # many-to-many through tables of their own

    @property
    def label(self) -> str:
        return label(self.model)

    def named(self, kind: str) -> list[Field]:
        return [f for f in self.fields if f.kind == kind]


def generic_pairs(model: type[models.Model]) -> dict[str, str]:
    """id column -> content type column, for every (content type, id) reference."""
    pairs = {
        gfk.fk_field: gfk.ct_field
        for gfk in model._meta.private_fields
        if isinstance(gfk, GenericForeignKey)
    }
    if model is AuditEntry:
        pairs["object_id"] = "content_type"
    return pairs


def natural_field(model: type[models.Model]) -> str | None:
    """The unique column that names a row of shared reference data in every installation."""
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            return field.name
    return None


def _kind(model: type[models.Model], field: models.Field, generic: dict[str, str]) -> Field:
    if field.name in generic:
        return Field(field.name, "generic", field, type_field=generic[field.name])
    if isinstance(field, models.FileField):
        return Field(field.name, "file", field)
    if not field.is_relation:
        # Unique across the installation (a link's hash): it names something of this
        # installation only, so it is not carried and a fresh value is made on import.
        if field.unique and issubclass(model, TenantModel):
            return Field(field.name, "fresh", field)
        return Field(field.name, "value", field)
    target = field.related_model
    assert isinstance(target, type)
    if target is org_model():
        return Field(field.name, "org", field, target)
    if target is user_model():
        return Field(field.name, "person", field, target)
    if target is ContentType:
        return Field(field.name, "type", field, target)
    if label(target) in LEFT_OUT:
        return Field(field.name, "empty", field, target)
    if issubclass(target, TenantModel):
        return Field(field.name, "row", field, target)
    return Field(field.name, "shared", field, target)


@cache
def plan(model: type[models.Model]) -> Plan:
    generic = generic_pairs(model)
    fields = tuple(
        _kind(model, f, generic)
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not (f.name == "organisation" and issubclass(model, TenantModel | AuditEntry))
        # The organisation's short name is the installation's (an import may choose another).
        and not (model is org_model() and f.unique)
    )
    many = tuple(
        f
        for f in model._meta.many_to_many
        if isinstance(f, models.ManyToManyField) and f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    )
    return Plan(model, fields, many)


def problems() -> list[str]:
    """What the archive could not carry in the models installed now (empty: everything)."""
    found = []
    for model in [*carried_models(), AuditEntry, org_model()]:
        for field in plan(model).fields:
            if field.kind == "shared" and field.target and natural_field(field.target) is None:
                found.append(
                    f"{label(model)}.{field.name}: {label(field.target)} has no unique name"
                )
            if field.kind == "empty" and not field.field.null:
                found.append(f"{label(model)}.{field.name}: links to rows that are not carried")
            if field.kind == "fresh" and not isinstance(field.field, models.CharField):
                found.append(f"{label(model)}.{field.name}: cannot make a fresh value")
        for many in plan(model).many:
            target = many.related_model
            if not (
                isinstance(target, type) and label(target) in {label(m) for m in carried_models()}
            ):
                found.append(f"{label(model)}.{many.name}: many-to-many to rows not carried")
    return found
