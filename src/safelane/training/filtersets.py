"""The filters of the people register, shared by its page and the API (and its schema)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safelane.core.inputs import parse_id
from safelane.training import selectors
from safelane.training.models import Person, PersonQuerySet, TrainingSession


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="named", max_length=100, label=_("Name or number"))
    site = django_filters.CharFilter(lookup_expr="iexact", max_length=100, label=_("Site"))
    role = django_filters.CharFilter(lookup_expr="iexact", max_length=100, label=_("Role"))
    active = django_filters.ChoiceFilter(
        method="by_state",
        choices=[("0", _("Inactive people")), ("all", _("Everyone"))],
        label=_("Show"),
        empty_label=_("Active people"),
    )

    class Meta:
        model = Person
        fields = ["q", "site", "role", "active"]

    def filter_queryset(self, queryset: QuerySet[Person]) -> Any:
        # Inactive people are out of the register unless asked for (active=0 or all).
        if not self.form.cleaned_data.get("active"):
            queryset = queryset.filter(active=True)
        return super().filter_queryset(queryset)

    def named(self, queryset: PersonQuerySet, name: str, value: str) -> Any:
        return selectors.named(queryset, value)

    def by_state(self, queryset: QuerySet[Person], name: str, value: str) -> Any:
        return queryset.filter(active=False) if value == "0" else queryset


class SessionFilter(django_filters.FilterSet):
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("Held on or after")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("Held on or before")
    )
    course = django_filters.CharFilter(method="gave", max_length=20, label=_("Course (its id)"))

    class Meta:
        model = TrainingSession
        fields = ["held_after", "held_before", "course"]

    def gave(self, queryset: QuerySet[TrainingSession], name: str, value: str) -> Any:
        pk = parse_id(value)
        return queryset.filter(courses=pk) if pk is not None else queryset.none()
