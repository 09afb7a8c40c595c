"""One of every organisation record, and archives made as the command line makes them."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from model_bakery import baker

from safelane.core.models import AuditEntry, TenantModel
from safelane.transfer import archive, plan, services


def make_row(model: Any, org: Any, made: dict[str, Any]) -> Any:
    """A record of `org` whose required links stay in `org` (reusing rows already made)."""
    links = {}
    for field in model._meta.concrete_fields:
        target = field.related_model
        if (
            field.is_relation
            and field.name != "organisation"
            and isinstance(target, type)
            and issubclass(target, TenantModel)
        ):
            if not field.null:
                links[field.name] = made.get(plan.label(target)) or make_row(target, org, made)
            elif plan.label(target) in made:  # optional links: to rows made already
                links[field.name] = made[plan.label(target)]
    obj = baker.make(model, organisation=org, _create_files=True, **links)
    made.setdefault(plan.label(model), obj)
    return obj


def fill(org: Any, owner: Any) -> dict[str, Any]:
    """Two of every carried model, generic references among them, and an audit entry about a
    record since deleted."""
    made: dict[str, Any] = {}
    for model in plan.carried_models():
        for _twice in range(2):
            try:
                with transaction.atomic():
                    make_row(model, org, made)
            except IntegrityError:
                pass  # one per organisation (a profile): the first will do
    for model in plan.tenant_models():
        for obj in model.objects.for_org(org):
            for id_field, type_field in plan.generic_pairs(model).items():
                # Each names a row of its own model (a row loaded in the same pass).
                setattr(obj, type_field, ContentType.objects.get_for_model(obj))
                setattr(obj, id_field, obj.pk)
                obj.save()
    AuditEntry.objects.create(
        organisation=org,
        actor=owner,
        action="delete",
        object_id="999999",
        content_type=ContentType.objects.get_for_model(made["evidence.evidence"]),
        object_repr="Gone",
    )
    AuditEntry.objects.create(
        organisation=org,
        actor=owner,
        action="update",
        object_id=str(made["evidence.evidence"].pk),
        content_type=ContentType.objects.get_for_model(made["evidence.evidence"]),
        object_repr="Here",
    )
    return made


def export(org: Any) -> tuple[bytes, dict[str, Any]]:
    out = io.BytesIO()
    _transfer, _warnings = services.export_organisation(
        org=org, actor=None, out=out, archive_name="a.zip"
    )
    reader = archive.Reader(io.BytesIO(out.getvalue()))
    return out.getvalue(), reader.manifest


def differences(first: bytes, second: bytes) -> list[str]:
    """The data files that differ between two archives, with their first differing row."""
    a, b = archive.Reader(io.BytesIO(first)), archive.Reader(io.BytesIO(second))
    a.verify()
    b.verify()
    found = []
    for name in sorted(set(a.data) | set(b.data)):
        rows_a, rows_b = a.data.get(name, {}).get("rows", []), b.data.get(name, {}).get("rows", [])
        if rows_a != rows_b:
            pair = next(
                ((x, y) for x, y in zip(rows_a, rows_b, strict=False) if x != y),
                (len(rows_a), len(rows_b)),
            )
            if isinstance(pair[0], dict):
                pair = (
                    {k: v for k, v in pair[0]["fields"].items() if pair[1]["fields"].get(k) != v},
                    {k: v for k, v in pair[1]["fields"].items() if pair[0]["fields"].get(k) != v},
                )
            found.append(f"{name}: {pair}")
    return found
