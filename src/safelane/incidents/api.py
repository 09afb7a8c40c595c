"""API of incidents: the register with each incident's report to CBP and its analysis (read
only)."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets

from safelane.incidents import selectors
from safelane.incidents.models import Incident
from safelane.orgs.access import Access, OrgScopedAPIMixin


class IncidentSerializer(serializers.ModelSerializer):
    hours_to_report = serializers.FloatField(source="report_delay", read_only=True, allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "kind",
            "title",
            "discovered_at",
            "place",
            "reported_to_cbp_at",
            "reported_by",
            "cbp_contact",
            "hours_to_report",
            "what_happened",
            "root_cause",
            "changes",
            "analysed_at",
            "criterion_ident",
            "partner",
            "node",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class IncidentViewSet(
    OrgScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Security incidents, newest discovery first: when each was reported to CBP (and how many
    hours after discovery) and the post-incident analysis."""

    access = Access(scope="org", model=Incident)
    serializer_class = IncidentSerializer

    def get_base_queryset(self) -> Any:
        return selectors.incidents(self.org)
