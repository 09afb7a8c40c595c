"""Loading an organisation archive: everything checked first, then one transaction.

Rows get new primary keys; every link, generic reference (content type and id) and stored file
is remapped through the export keys, so the organisation exported again gives the same data.
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.validators import validate_slug
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.core.models import AuditEntry, Tenant
from safelane.transfer import archive
from safelane.transfer.archive import ArchiveRefusedError
from safelane.transfer.plan import (
    ORG,
    Field,
    carried_models,
    label,
    natural_field,
    org_model,
    plan,
    user_model,
)

Rows = list[dict[str, Any]]


def _order(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    """Models so that each comes after those its required links point to."""
    left = {label(m): m for m in models_}
    done: list[type[models.Model]] = []
    while left:
        ready = [
            name
            for name, model in sorted(left.items())
            if not any(
                f.kind == "row"
                and not f.field.null
                and label(f.target) in left
                and f.target is not model
                for f in plan(model).fields
            )
        ]
        if not ready:
            raise ArchiveRefusedError(
                _("These records require each other: %s") % ", ".join(sorted(left))
            )
        for name in ready:
            done.append(left.pop(name))
    return done


class Loader:
    def __init__(self, reader: archive.Reader) -> None:
        self.reader = reader
        self.rows: dict[str, Rows] = {}
        self.pks: dict[str, int] = {}  # export key -> new primary key
        self.types: dict[str, int] = {}
        self.shared: dict[tuple[str, str], int] = {}
        self.people: dict[str, Any] = {}
        self.saved: list[str] = []
        self.org: Tenant = None

    # Checks: nothing is written until all of these pass.

    def check(self, slug: str | None) -> str:
        self.reader.verify()
        known = {label(m): m for m in [*carried_models(), AuditEntry, org_model(), user_model()]}
        for name, content in self.reader.data.items():
            model_label = name.removeprefix("data/").removesuffix(".json")
            if model_label not in known:
                raise ArchiveRefusedError(
                    _("The archive holds %s, which this Safelane does not know.") % model_label
                )
            rows = content.get("rows") if isinstance(content, dict) else None
            if not isinstance(rows, list) or not all(
                isinstance(r, dict)
                and isinstance(r.get("key"), str)
                and isinstance(r.get("fields"), dict)
                for r in rows
            ):
                raise ArchiveRefusedError(_("%s is not laid out as Safelane writes it.") % name)
            allowed = {f.name for f in plan(known[model_label]).fields} | {
                m.name for m in plan(known[model_label]).many
            }
            if model_label == label(user_model()):
                allowed = {"email", "full_name"}
            for row in rows:
                extra = set(row["fields"]) - allowed
                if extra:
                    raise ArchiveRefusedError(
                        _(
                            "%(model)s has fields this Safelane does not know (%(fields)s): the archive comes from a newer release."
                        )
                        % {"model": model_label, "fields": ", ".join(sorted(extra))}
                    )
            self.rows[model_label] = rows
        orgs = self.rows.get(label(org_model()), [])
        if len(orgs) != 1:
            raise ArchiveRefusedError(_("The archive does not hold exactly one organisation."))
        slug = slug or str(self.reader.manifest.get("organisation", {}).get("slug", ""))
        try:
            validate_slug(slug)
        except ValidationError:
            raise ArchiveRefusedError(_("%r is not a valid short name.") % slug) from None
        if org_model()._default_manager.filter(slug=slug).exists():
            raise ArchiveRefusedError(
                _(
                    "An organisation with the short name %s exists already; choose another with --slug."
                )
                % slug
            )
        self._resolve_shared(known)
        return slug

    def _resolve_shared(self, known: dict[str, Any]) -> None:
        """Content types and shared reference data (catalog editions) must be here already."""
        for model_label, rows in self.rows.items():
            for field in plan(known[model_label]).fields:
                for row in rows:
                    value = row["fields"].get(field.name)
                    if value is None:
                        continue
                    if field.kind == "type":
                        self._type_id(value)
                    elif field.kind == "shared":
                        self._shared_id(field.target, value)

    def _type_id(self, value: str) -> int:
        if value not in self.types:
            app_label, _dot, model = str(value).partition(".")
            try:
                self.types[value] = ContentType.objects.get_by_natural_key(app_label, model).pk
            except ContentType.DoesNotExist:
                raise ArchiveRefusedError(
                    _("The archive refers to %s, which this Safelane does not know.") % value
                ) from None
        return self.types[value]

    def _shared_id(self, model: Any, value: Any) -> int:
        key = (label(model), str(value))
        if key not in self.shared:
            name = str(natural_field(model))
            found = (
                model._default_manager.filter(**{name: value}).values_list("pk", flat=True).first()
            )
            if found is None:
                raise ArchiveRefusedError(
                    _(
                        "The archive needs %(what)s %(value)s, which this installation does not have: load it first."
                    )
                    % {"what": model._meta.verbose_name, "value": value}
                )
            self.shared[key] = found
        return self.shared[key]

    # Writing.

    def load(self, slug: str, *, progress: Callable[[int, int], None] | None = None) -> Tenant:
        """Write everything, inside the caller's transaction (`discard` the files if it fails)."""
        self._people()
        self.org = self._organisation(slug)
        order = _order(carried_models())
        deferred: list[tuple[type[models.Model], list[models.Model], Rows]] = []
        for step, model in enumerate(order, start=1):
            rows = self.rows.get(label(model), [])
            deferred.append((model, self._insert(model, rows), rows))
            if progress:
                progress(step, len(order) + 1)
        for model, objs, rows in deferred:
            self._finish(model, objs, rows)
        self._insert(AuditEntry, self.rows.get(label(AuditEntry), []))
        return self.org

    def discard(self) -> None:
        """The files stored by a load whose transaction did not commit."""
        for name in self.saved:
            default_storage.delete(name)

    def _people(self) -> None:
        users = user_model()
        for row in self.rows.get(label(users), []):
            email = str(row["fields"].get("email") or row["key"]).lower()
            person = users._default_manager.filter(email__iexact=email).first()
            if person is None:
                # Someone this installation does not know: an account that cannot sign in
                # until its owner sets a password (password reset) and an owner activates it.
                person = users(
                    email=email,
                    full_name=str(row["fields"].get("full_name", ""))[:150],
                    is_active=False,
                )
                person.set_unusable_password()
                person.save()
            self.people[row["key"]] = person.pk

    def _organisation(self, slug: str) -> Tenant:
        model = org_model()
        fields = self.rows[label(model)][0]["fields"]
        org = model(slug=slug)
        for field in plan(model).fields:
            if field.name in fields:
                setattr(org, field.attname, self._plain(field, fields[field.name]))
        org.save()
        stamps = {f.attname: getattr(org, f.attname) for f in _stamped(model)}
        for stamp in _stamped(model):
            if stamp.name in fields:
                stamps[stamp.attname] = self._plain(
                    plan_field(model, stamp.name), fields[stamp.name]
                )
        model._default_manager.filter(pk=org.pk).update(**stamps)
        for name, value in stamps.items():
            setattr(org, name, value)
        self.pks[ORG] = org.pk
        return org

    def _insert(self, model: type[models.Model], rows: Rows) -> list[models.Model]:
        objs = []
        for row in rows:
            obj = model(organisation=self.org)
            for field in plan(model).fields:
                value = row["fields"].get(field.name, _MISSING)
                if value is _MISSING:
                    continue  # an archive from an older release: the field's default
                setattr(obj, field.attname, self._value(obj, field, value, first_pass=True))
            for stamp in _stamped(model):
                if getattr(obj, stamp.attname) is None:  # not in an older archive
                    setattr(obj, stamp.attname, timezone.now())
            for field in plan(model).fields:
                if field.kind == "fresh":
                    setattr(obj, field.attname, secrets.token_hex(field.field.max_length // 2))  # type: ignore[operator]
            objs.append(obj)
        with _stamps_kept(model):
            model.objects.bulk_create(objs, batch_size=1000)  # type: ignore[attr-defined]
        for obj, row in zip(objs, rows, strict=True):
            if obj.pk is None:
                raise RuntimeError("The database did not return the new rows' keys.")
            self.pks[row["key"]] = obj.pk
        return objs

    def _finish(self, model: Any, objs: list[models.Model], rows: Rows) -> None:
        """Links to rows loaded later (or to the same model), and many-to-many rows."""
        late = [f for f in plan(model).fields if f.kind in {"row", "generic"} and f.field.null]
        changed: set[str] = set()
        for obj, row in zip(objs, rows, strict=True):
            for field in late:
                value = row["fields"].get(field.name)
                if value is not None:
                    setattr(obj, field.attname, self._value(obj, field, value, first_pass=False))
                    changed.add(field.name)
        if changed:
            model.objects.for_org(self.org).bulk_update(objs, sorted(changed), batch_size=1000)
        for many in plan(model).many:
            through: Any = many.remote_field.through
            source = many.m2m_field_name()
            target = many.m2m_reverse_field_name()
            links = [
                through(**{f"{source}_id": obj.pk, f"{target}_id": self.pks[key]})
                for obj, row in zip(objs, rows, strict=True)
                for key in row["fields"].get(many.name, [])
                if key in self.pks
            ]
            through._default_manager.bulk_create(links, batch_size=1000)

    def _value(self, obj: models.Model, field: Field, value: Any, *, first_pass: bool) -> Any:
        if value is None or field.kind in {"empty", "fresh"}:
            return None
        if field.kind == "org":
            return self.pks[ORG]
        if field.kind == "person":
            return self.people.get(value)
        if field.kind == "type":
            return self._type_id(value)
        if field.kind == "shared":
            return self._shared_id(field.target, value)
        if field.kind == "row":
            if first_pass and field.field.null:
                return None  # set once every row is in
            return self._key(value)
        if field.kind == "generic":
            return self._generic(field, value, first_pass=first_pass)
        if field.kind == "file":
            return self._file(obj, value)
        return self._plain(field, value)

    def _key(self, value: Any) -> int:
        if value not in self.pks:
            raise ArchiveRefusedError(_("The archive names %s, which it does not hold.") % value)
        return self.pks[value]

    def _generic(self, field: Field, value: Any, *, first_pass: bool) -> Any:
        text = str(value)
        if text.startswith("gone#"):
            return f"-{text.removeprefix('gone#')}"  # a deleted record: no row has a negative id
        if first_pass and field.field.null:
            return None
        if text in self.pks:
            pk: Any = self.pks[text]
        elif text in self.people:
            pk = self.people[text]
        else:
            pk = next((v for (_m, k), v in self.shared.items() if k == text), None)
        if pk is None:
            raise ArchiveRefusedError(_("The archive names %s, which it does not hold.") % text)
        return str(pk) if isinstance(field.field, models.CharField) else pk

    def _file(self, obj: models.Model, value: Any) -> str:
        if not isinstance(value, dict):
            raise ArchiveRefusedError(_("A file is named in a way Safelane never writes."))
        name = str(value.get("name") or "file")
        # Where the app itself keeps its files: evidence/<organisation id>/<random>/<name>.
        area = obj._meta.app_label
        digest = value.get("sha256")
        path = f"{area}/{self.org.pk}/{secrets.token_hex(8)}/{name}"
        if digest is None:
            return f"{area}/{self.org.pk}/missing/{name}"  # missing when exported: still missing
        entry = f"files/{digest}"
        if entry not in self.reader.entries:
            raise ArchiveRefusedError(_("%s is missing from the archive.") % entry)
        with self.reader.zip.open(self.reader.entries[entry]) as stream:
            saved = default_storage.save(path, File(_Checked(stream, digest), name=name))  # type: ignore[arg-type]
        self.saved.append(saved)
        return saved

    def _plain(self, field: Field, value: Any) -> Any:
        if isinstance(field.field, models.JSONField):
            return value
        if isinstance(field.field, models.BinaryField):
            return base64.b64decode(value)
        try:
            return field.field.to_python(value)
        except ValidationError:
            raise ArchiveRefusedError(
                _("%(field)s holds a value Safelane cannot read.") % {"field": field.name}
            ) from None


_MISSING = object()


class _Checked:
    """A file read from the archive, hashed on the way into storage: an archive changed after
    it was checked is still caught."""

    def __init__(self, stream: Any, digest: str) -> None:
        import hashlib

        self.stream, self.digest, self.hash = stream, digest, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.hash.update(chunk)
        if not chunk and self.hash.hexdigest() != self.digest:
            raise ArchiveRefusedError(
                _("A file changed while it was read: the archive is damaged.")
            )
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


_STAMPS_LOCK = threading.Lock()


@contextmanager
def _stamps_kept(model: Any) -> Iterator[None]:
    """Dates set on save (created, updated) keep the archive's values while rows are inserted.

    Django sets them in `pre_save` whatever the row holds; writing them again afterwards
    (bulk_update) costs a CASE per row, minutes for a large trail. The flags are switched off
    for the insert only, under a lock (imports run from the command line, one at a time).
    """
    fields = _stamped(model)
    with _STAMPS_LOCK:
        saved = [(f, f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[attr-defined]
        try:
            for field in fields:
                field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
            yield
        finally:
            for field, auto_now, auto_now_add in saved:
                field.auto_now, field.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


def _stamped(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]


def plan_field(model: type[models.Model], name: str) -> Field:
    return next(f for f in plan(model).fields if f.name == name)
