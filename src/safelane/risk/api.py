"""API of risk assessments: read the map, the ratings and the scored risks (the pages edit)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from safelane.orgs.access import Access, OrgScopedAPIMixin
from safelane.risk import selectors
from safelane.risk.models import Leg, Node, RiskAssessment, ThreatRating


class PointSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Node
        fields = ["id", "name", "kind", "operator", "city", "country"]


class LegSerializer(serializers.ModelSerializer):
    class Meta:
        model = Leg
        fields = [
            "id",
            "flow",
            "origin",
            "destination",
            "mode",
            "custodian",
            "rests",
            "documents",
        ]


class ThreatSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = ThreatRating
        fields = ["country", "threat", "level", "sources", "rated_on"]


class RiskSerializer(serializers.Serializer):
    point = serializers.IntegerField(source="node.pk")
    category = serializers.IntegerField()
    category_name = serializers.CharField()
    threat = serializers.IntegerField(allow_null=True)
    vulnerability = serializers.IntegerField()
    score = serializers.IntegerField(allow_null=True)
    band = serializers.ChoiceField(choices=["high", "medium", "low", "unrated"])


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "title",
            "year",
            "started_from",
            "participants",
            "high_from",
            "medium_from",
            "next_due",
            "finalised_at",
            "needs_review",
        ]


class AssessmentDetailSerializer(AssessmentSerializer):
    points = serializers.SerializerMethodField()
    legs = serializers.SerializerMethodField()
    threats = serializers.SerializerMethodField()
    risks = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "points", "legs", "threats", "risks"]

    def _org(self) -> Any:
        return self.context["view"].org

    @extend_schema_field(PointSerializer(many=True))
    def get_points(self, assessment: RiskAssessment) -> Any:
        return PointSerializer(selectors.nodes(self._org(), assessment), many=True).data

    @extend_schema_field(LegSerializer(many=True))
    def get_legs(self, assessment: RiskAssessment) -> Any:
        return LegSerializer(selectors.legs(self._org(), assessment), many=True).data

    @extend_schema_field(ThreatSerializer(many=True))
    def get_threats(self, assessment: RiskAssessment) -> Any:
        return ThreatSerializer(selectors.threats(self._org(), assessment), many=True).data

    @extend_schema_field(RiskSerializer(many=True))
    def get_risks(self, assessment: RiskAssessment) -> Any:
        """Every point and MSC category, highest score first."""
        return RiskSerializer(selectors.risks(self._org(), assessment), many=True).data


class RiskAssessmentViewSet(OrgScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Risk assessments, newest first; one assessment carries its map, its threat ratings and
    every risk scored on its matrix."""

    access = Access(scope="org", model=RiskAssessment)

    def get_serializer_class(self) -> Any:
        return AssessmentDetailSerializer if self.action == "retrieve" else AssessmentSerializer

    def get_base_queryset(self) -> Any:
        return selectors.assessments(self.org)
