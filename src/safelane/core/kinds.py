"""Records of higher apps that a lower app works with without knowing them.

Evidence is attached to an answer, an action, and later a partner or a finding; an action
treats a gap or a risk. The lower app (evidence, actions) stores a generic reference (a content
type and an id) and keeps a registry of the kinds it may refer to; each higher app registers its
kind in its `AppConfig.ready()`, saying how the record is named, where its page is and which
rules apply. So the lower app never imports the higher one, and the import graph stays acyclic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from safelane.core.inputs import parse_id
from safelane.core.models import Tenant


@dataclass(frozen=True)
class Kind:
    """One kind of record another app refers to."""

    name: str  # in addresses and form values, such as "response"
    model: type[models.Model]
    label: Callable[[Any], str]  # the record as people name it
    url: Callable[[Tenant, Any], str]  # its page
    related: tuple[str, ...] = ()  # what `label` and `url` read, for select_related

    def token(self, obj: models.Model) -> str:
        """How a page names one record of this kind in a form or address: "response:12"."""
        return f"{self.name}:{obj.pk}"


K = TypeVar("K", bound=Kind)


class Registry(Generic[K]):
    """The kinds a lower app may refer to, by name and by model."""

    def __init__(self) -> None:
        self._by_name: dict[str, K] = {}

    def register(self, kind: K) -> None:
        self._by_name[kind.name] = kind

    def __iter__(self) -> Iterator[K]:
        return iter(sorted(self._by_name.values(), key=lambda kind: kind.name))

    def named(self, name: str) -> K | None:
        return self._by_name.get(name)

    def of(self, obj_or_model: Any) -> K | None:
        model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
        return next((k for k in self._by_name.values() if issubclass(model, k.model)), None)

    def of_type(self, type_id: int | None) -> K | None:
        """The kind whose records a content type (by id) holds, if registered."""
        if type_id is None:
            return None
        model = ContentType.objects.get_for_id(type_id).model_class()
        return self.of(model) if model is not None else None

    def content_type(self, obj: models.Model | type[models.Model]) -> ContentType:
        return ContentType.objects.get_for_model(obj)

    def load(
        self, org: Tenant, refs: list[tuple[int | None, int | None]]
    ) -> dict[tuple[int, int], Any]:
        """The records that (content type id, id) pairs name, in `org`, one query per kind."""
        wanted: dict[int, set[int]] = {}
        for type_id, pk in refs:
            if type_id is not None and pk is not None:
                wanted.setdefault(type_id, set()).add(pk)
        found: dict[tuple[int, int], Any] = {}
        for kind in self._by_name.values():
            type_id = ContentType.objects.get_for_model(kind.model).pk
            if type_id in wanted:
                rows = kind.model.objects.for_org(org).filter(pk__in=wanted[type_id])  # type: ignore[attr-defined]
                for obj in rows.select_related(*kind.related):
                    found[(type_id, obj.pk)] = obj
        return found

    def find(self, org: Tenant, token: object) -> tuple[K, Any] | None:
        """The record a token ("response:12") names in `org`, or None: unknown kind, malformed
        id, or a record of another organisation all look the same."""
        if not isinstance(token, str) or ":" not in token:
            return None
        name, _sep, raw = token.partition(":")
        kind, pk = self._by_name.get(name), parse_id(raw)
        if kind is None or pk is None:
            return None
        obj = kind.model.objects.for_org(org).filter(pk=pk).first()  # type: ignore[attr-defined]
        return (kind, obj) if obj is not None else None
