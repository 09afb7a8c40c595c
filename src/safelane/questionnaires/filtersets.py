"""The filters of the questionnaire list, shared by its page and the API (and its schema)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safelane.core.inputs import MAX_ID
from safelane.questionnaires.models import OPEN_STATUSES, Questionnaire, Status

ANY = _("Any")
LINK_STATES = [
    ("live", _("Open")),
    ("expired", _("Expired")),
    ("revoked", _("Revoked")),
]


class QuestionnaireFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="named", max_length=100, label=_("Partner"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=ANY)
    link = django_filters.ChoiceFilter(
        method="in_link_state",
        choices=LINK_STATES,
        label=pgettext_lazy("questionnaire link", "Link"),
        empty_label=ANY,
    )
    partner = django_filters.NumberFilter(
        field_name="partner_id", label=_("Partner ID"), min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = Questionnaire
        fields = ["q", "status", "link", "partner"]

    def named(self, queryset: QuerySet[Questionnaire], name: str, value: str) -> Any:
        return queryset.filter(
            Q(partner__name__icontains=value) | Q(recipient_email__icontains=value)
        )

    def in_link_state(self, queryset: QuerySet[Questionnaire], name: str, value: str) -> Any:
        now = timezone.now()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        live = queryset.filter(status__in=OPEN_STATUSES, revoked_at__isnull=True)
        if value == "expired":
            return live.filter(expires_at__lte=now)
        return live.filter(expires_at__gt=now)
