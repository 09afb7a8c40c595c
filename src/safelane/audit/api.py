"""Read-only API of the audit trail."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from safelane.audit import selectors
from safelane.audit.forms import AuditFilterForm
from safelane.core import trail
from safelane.core.models import AuditEntry
from safelane.orgs import selectors as org_selectors
from safelane.orgs.access import Access, OrgScopedAPIMixin


class AuditEntrySerializer(serializers.ModelSerializer):
    record_type = serializers.CharField(source="content_type.model")
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "source",
            "action",
            "record_type",
            "object_id",
            "object_repr",
            "changes",
        ]


FILTERS = [
    OpenApiParameter("action", str, enum=["create", "update", "delete"]),
    OpenApiParameter("since", str, description="YYYY-MM-DD"),
    OpenApiParameter("until", str, description="YYYY-MM-DD"),
    OpenApiParameter("q", str, description="Text in the record's name"),
    OpenApiParameter("object_id", str),
]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class AuditEntryViewSet(OrgScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Every change to the organisation's data, newest first. Entries cannot be changed."""

    access = Access(scope="org", model=AuditEntry)
    serializer_class = AuditEntrySerializer

    def get_base_queryset(self) -> Any:
        form = AuditFilterForm(
            self.request.query_params,
            actors=org_selectors.members(self.org),
            content_types=selectors.object_types(self.org),
        )
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    name: [str(message) for message in messages]
                    for name, messages in form.errors.items()
                }
            )
        return trail.entries(self.org, form.to_filter())
