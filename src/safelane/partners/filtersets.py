"""The filters of the partner register, shared by its page and the API (and its schema)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from safelane.partners import selectors
from safelane.partners.models import (
    CtpatStatus,
    HitStatus,
    Partner,
    PartnerType,
    RiskTier,
    ScreeningHit,
    ScreeningState,
)

ANY = _("Any")


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="named", max_length=100, label=_("Name"))
    type = django_filters.ChoiceFilter(
        field_name="kind", choices=PartnerType.choices, label=_("Type"), empty_label=ANY
    )
    tier = django_filters.ChoiceFilter(
        method="in_tier", choices=RiskTier.choices, label=_("Risk tier"), empty_label=ANY
    )
    country = django_filters.ChoiceFilter(
        method="in_country", choices=list(countries), label=_("Country"), empty_label=ANY
    )
    status = django_filters.ChoiceFilter(
        field_name="ctpat_status",
        choices=CtpatStatus.choices,
        label=_("CTPAT status"),
        empty_label=ANY,
    )
    screening = django_filters.ChoiceFilter(
        choices=ScreeningState.choices, label=_("Screening"), empty_label=ANY
    )
    due = django_filters.ChoiceFilter(
        method="due_for_review",
        choices=[("1", _("Only those due"))],
        label=_("Review"),
        empty_label=_("Due or not"),
    )
    archived = django_filters.ChoiceFilter(
        method="in_archive",
        choices=[("1", _("Archived partners"))],
        label=_("Register"),
        empty_label=_("Live partners"),
    )

    class Meta:
        model = Partner
        fields = ["q", "type", "tier", "country", "status", "screening", "due", "archived"]

    def filter_queryset(self, queryset: QuerySet[Partner]) -> Any:
        # Archived partners are out of the register unless asked for (archived=1).
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        return super().filter_queryset(queryset)

    def in_archive(self, queryset: QuerySet[Partner], name: str, value: str) -> Any:
        return queryset.filter(archived_at__isnull=False)

    def named(self, queryset: QuerySet[Partner], name: str, value: str) -> Any:
        return selectors.named(queryset, value)

    def in_tier(self, queryset: QuerySet[Partner], name: str, value: str) -> Any:
        return queryset.filter(Q(tier_override=value) | Q(tier_override="", computed_tier=value))

    def in_country(self, queryset: QuerySet[Partner], name: str, value: str) -> Any:
        # Stored as comma-separated codes; match the code as a whole element of the list.
        return queryset.filter(
            Q(countries=value)
            | Q(countries__startswith=f"{value},")
            | Q(countries__endswith=f",{value}")
            | Q(countries__contains=f",{value},")
        )

    def due_for_review(self, queryset: QuerySet[Partner], name: str, value: str) -> Any:
        return queryset.filter(next_review__lte=timezone.localdate())


class HitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=HitStatus.choices, label=_("Status"), empty_label=ANY
    )

    class Meta:
        model = ScreeningHit
        fields = ["status"]
