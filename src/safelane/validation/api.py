"""API of validations: the findings of every validation, mock and CBP's, with their status,
response due date and response (read only)."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets

from safelane.orgs.access import Access, OrgScopedAPIMixin
from safelane.validation import selectors
from safelane.validation.models import Finding


class FindingSerializer(serializers.ModelSerializer):
    validation = serializers.IntegerField(source="validation.pk", read_only=True)
    validation_kind = serializers.CharField(source="validation.kind", read_only=True)
    validation_title = serializers.CharField(source="validation.title", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "validation",
            "validation_kind",
            "validation_title",
            "criterion_ident",
            "kind",
            "text",
            "response_due",
            "status",
            "response",
            "responded_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class FindingViewSet(
    OrgScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Findings of the organisation's validations (mock and CBP's), by validation and
    criterion."""

    access = Access(scope="org", model=Finding)
    serializer_class = FindingSerializer

    def get_base_queryset(self) -> Any:
        return selectors.findings(self.org)
