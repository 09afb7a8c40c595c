"""The filters of the actions API (documented in its schema)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safelane.actions.models import Action, ActionStatus


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    owner = django_filters.CharFilter(
        method="owned_by", max_length=254, label=_("Owner: a member's e-mail, or 'me'")
    )
    overdue = django_filters.ChoiceFilter(
        method="is_overdue",
        choices=[("1", "1"), ("true", "true"), ("0", "0"), ("false", "false")],
        label=_("1: only open actions past their due date"),
    )

    class Meta:
        model = Action
        fields = ["status", "owner", "overdue"]

    def owned_by(self, queryset: QuerySet[Action], name: str, value: str) -> Any:
        if value == "me":
            return queryset.filter(owner=self.request.user if self.request else None)
        return queryset.filter(owner__email__iexact=value)

    def is_overdue(self, queryset: QuerySet[Action], name: str, value: str) -> Any:
        return queryset.overdue() if value in {"1", "true"} else queryset  # type: ignore[attr-defined]
