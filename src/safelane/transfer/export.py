"""Writing one organisation into an archive (see plan.py for what is carried and how)."""

from __future__ import annotations

import base64
import posixpath
from collections.abc import Callable
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from safelane.core.audit import jsonable
from safelane.core.models import AuditEntry, Tenant
from safelane.transfer import archive
from safelane.transfer.plan import LEFT_OUT, ORG, Field, carried_models, label, natural_field, plan
from safelane.transfer.plan import user_model as plan_user_model

Progress = Callable[[int, int], None]


class Exporter:
    def __init__(self, org: Tenant) -> None:
        self.org = org
        self.keys: dict[tuple[str, int], str] = {}
        self.people: dict[int, str] = {}  # user id -> e-mail, filled as rows name them
        self.gone: dict[tuple[int, str], str] = {}
        self.shared: dict[tuple[str, int], Any] = {}
        self.warnings: list[str] = []

    def querysets(self) -> list[tuple[type[models.Model], models.QuerySet[Any]]]:
        left_out = [ContentType.objects.get_for_model(m) for m in _left_out_models()]
        found: list[tuple[type[models.Model], models.QuerySet[Any]]] = [
            (model, model.objects.for_org(self.org).order_by("pk"))  # type: ignore[attr-defined]
            for model in carried_models()
        ]
        trail = AuditEntry.objects.for_org(self.org).exclude(content_type__in=left_out)
        return [*found, (AuditEntry, trail.order_by("pk"))]

    def write(self, out: IO[bytes], *, progress: Progress | None = None) -> dict[str, Any]:
        sets = self.querysets()
        # Every row's key first: a row may name one of a model written later.
        for model, rows in sets:
            for number, pk in enumerate(rows.values_list("pk", flat=True), start=1):
                self.keys[(label(model), pk)] = f"{label(model)}#{number}"
        writer = archive.Writer(out)
        counts: dict[str, int] = {}
        org_model = type(self.org)
        writer.add_data(label(org_model), {"rows": [self.row(writer, self.org, ORG)]})
        for step, (model, rows) in enumerate(sets, start=1):
            many = [m.name for m in plan(model).many]
            query = rows.prefetch_related(*many) if many else rows
            encoded = [
                self.row(writer, obj, self.keys[(label(model), obj.pk)])
                for obj in query.iterator(chunk_size=2000)
            ]
            writer.add_data(label(model), {"rows": encoded})
            counts[label(model)] = len(encoded)
            if progress:
                progress(step, len(sets) + 1)
        user_model = plan_user_model()
        people: Any = user_model._default_manager.filter(pk__in=self.people).order_by("email")
        writer.add_data(
            label(user_model),
            {
                "rows": [
                    {
                        "key": p.email.lower(),
                        "fields": {"email": p.email.lower(), "full_name": p.full_name},
                    }
                    for p in people
                ]
            },
        )
        return writer.finish(
            {
                "organisation": {"slug": self.org.slug, "name": self.org.name},
                "exported_at": timezone.now().isoformat(),
                "counts": counts,
            }
        )

    def row(self, writer: archive.Writer, obj: models.Model, key: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in plan(type(obj)).fields:
            values[field.name] = self.value(writer, obj, field)
        for many in plan(type(obj)).many:
            values[many.name] = sorted(
                self.ref(type(t), t.pk) or "" for t in getattr(obj, many.name).all()
            )
        return {"key": key, "fields": values}

    def value(self, writer: archive.Writer, obj: models.Model, field: Field) -> Any:
        raw = getattr(obj, field.attname)
        if field.kind in {"empty", "fresh"} or (raw is None and field.kind != "file"):
            return None
        if field.kind in {"row", "org", "person", "shared"}:
            assert field.target is not None
            return self.ref(field.target, raw)
        if field.kind == "type":
            return ".".join(ContentType.objects.get_for_id(raw).natural_key())
        if field.kind == "generic":
            return self.generic(obj, field, raw)
        if field.kind == "file":
            return self.file(writer, getattr(obj, field.name))
        if isinstance(raw, bytes | memoryview):
            return base64.b64encode(bytes(raw)).decode()
        if isinstance(field.field, models.JSONField):
            return raw
        # The value as the database holds it (a list of countries is "CN,MX", not names).
        return jsonable(field.field.get_prep_value(field.field.value_from_object(obj)))

    def ref(self, model: type[models.Model], pk: Any) -> Any:
        """How the archive names a row: export key, "org", an e-mail, or a shared row's name;
        None for a row the archive does not hold."""
        if model is type(self.org):
            return ORG if pk == self.org.pk else None
        found = self.keys.get((label(model), pk))
        if found:
            return found
        if model is plan_user_model():
            email = self.people.get(pk) or _email(model, pk)
            if email:
                self.people[pk] = email
            return email
        if label(model) in LEFT_OUT or issubclass(model, _tenant()):
            return None
        if (label(model), pk) not in self.shared:
            name = natural_field(model)
            assert name is not None, label(model)
            value = model._default_manager.filter(pk=pk).values_list(name, flat=True).first()
            self.shared[(label(model), pk)] = jsonable(value)
        return self.shared[(label(model), pk)]

    def generic(self, obj: models.Model, field: Field, raw: Any) -> Any:
        type_id = getattr(obj, f"{field.type_field}_id")
        model = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
        pk = _int(raw)
        found = self.ref(model, pk) if model is not None and pk is not None else None
        if found is not None:
            return found
        if not isinstance(field.field, models.CharField):
            return None
        # A record since deleted (its audit entries stay): numbered in order of first mention,
        # which the import keeps, so the round trip names it the same.
        return self.gone.setdefault((type_id, str(raw)), f"gone#{len(self.gone) + 1}")

    def file(self, writer: archive.Writer, stored: Any) -> Any:
        if not stored or not stored.name:
            return None
        name = stored.name
        base = {"name": posixpath.basename(name)}
        try:
            with stored.storage.open(name, "rb") as stream:
                return {**base, "sha256": writer.add_file(stream)}
        except (FileNotFoundError, OSError):
            self.warnings.append(f"{name}: missing from storage")
            return {**base, "sha256": None}


def _left_out_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [apps.get_model(name) for name in LEFT_OUT if _installed(name)]


def _installed(name: str) -> bool:
    from django.apps import apps

    try:
        apps.get_model(name)
    except LookupError:
        return False
    return True


def _tenant() -> type[models.Model]:
    from safelane.core.models import TenantModel

    return TenantModel


def _email(model: type[models.Model], pk: Any) -> str | None:
    email = model._default_manager.filter(pk=pk).values_list("email", flat=True).first()
    return email.lower() if email else None


def _int(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
