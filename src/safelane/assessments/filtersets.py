"""The filters of answers, shared by the assessment page and the API (and its schema)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safelane.assessments.models import Response, Status
from safelane.core.inputs import MAX_ID, parse_int

OWN = "own"


class ResponseFilter(django_filters.FilterSet):
    cycle = django_filters.NumberFilter(
        field_name="cycle_id", min_value=1, max_value=MAX_ID, label=_("Assessment (id)")
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    category = django_filters.CharFilter(
        method="in_category",
        max_length=3,
        label=_("MSC category (1 to 12), or 'own' for your own criteria"),
    )

    class Meta:
        model = Response
        fields = ["cycle", "status", "category"]

    def in_category(self, queryset: QuerySet[Response], name: str, value: str) -> Any:
        if value == OWN:
            return queryset.filter(category__isnull=True)
        number = parse_int(value, low=1, high=99)
        return queryset.filter(category=number) if number else queryset.none()
