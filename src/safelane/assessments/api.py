"""API of assessment cycles and their responses."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets

from safelane.assessments import selectors, services
from safelane.assessments.filtersets import ResponseFilter
from safelane.assessments.models import AssessmentCycle, Response
from safelane.core.api import VersionField
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Role


class CycleSerializer(serializers.ModelSerializer):
    catalog_version = serializers.CharField(source="catalog_version.label")

    class Meta:
        model = AssessmentCycle
        fields = [
            "id",
            "kind",
            "title",
            "catalog_version",
            "started_from",
            "due_date",
            "closed_at",
            "created_at",
        ]


class CycleViewSet(OrgScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Assessment cycles, newest first."""

    access = Access(scope="org", model=AssessmentCycle)
    serializer_class = CycleSerializer

    def get_base_queryset(self) -> Any:
        return selectors.cycles(self.org)


class ResponseSerializer(serializers.ModelSerializer):
    version = VersionField(required=False)
    owner = serializers.EmailField(source="owner.email", read_only=True, allow_null=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "cycle",
            "criterion_ident",
            "must_should",
            "requirement",
            "status",
            "narrative",
            "justification",
            "owner",
            "due_date",
            "reviewed_at",
            "version",
        ]
        read_only_fields = [
            "id",
            "cycle",
            "criterion_ident",
            "must_should",
            "requirement",
            "reviewed_at",
        ]


class ResponseViewSet(
    OrgScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Responses; filter by `cycle`, `status` and `category` (1 to 12, or `own`), as the
    assessment page does. Updates need the version you read (409 if stale)."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=Response)
    serializer_class = ResponseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResponseFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        return (
            Response.objects.for_org(self.org)
            .select_related("owner")
            .order_by("cycle_id", "position")
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise serializers.ValidationError({"version": ["Send the version you last read."]})
        serializer.instance = services.update_response(
            org=self.org,
            actor=acting_user(self.request),
            response=serializer.instance,
            expected_version=expected,
            values=data,
        )
