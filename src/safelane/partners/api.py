"""API of the partner register: partners (list with filters, read, create, update with the
version check) and their screening hits."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets

from safelane.core.api import VersionField
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Role
from safelane.partners import services
from safelane.partners.filtersets import HitFilter, PartnerFilter
from safelane.partners.models import Partner, PartnerType, ScreeningHit


class CountriesField(serializers.ListField):
    child = serializers.ChoiceField(choices=list(countries))

    def to_representation(self, data: Any) -> list[str]:
        return [c.code for c in data]


class PartnerSerializer(serializers.ModelSerializer):
    version = VersionField(required=False)
    type = serializers.ChoiceField(source="kind", choices=PartnerType.choices)
    countries = CountriesField(required=False, max_length=30)
    other_names = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50, write_only=True
    )
    tier = serializers.CharField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "type",
            "countries",
            "other_names",
            "services",
            "ctpat_status",
            "ctpat_account",
            "ctpat_tier",
            "mra_programme",
            "mra_id",
            "status_verified_on",
            "tier",
            "computed_tier",
            "tier_reasons",
            "next_review",
            "screening",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "id",
            "computed_tier",
            "tier_reasons",
            "next_review",
            "screening",
            "created_at",
        ]


class PartnerViewSet(
    OrgScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Business partners, by name. Filter with `type`, `tier`, `country`, `status` (CTPAT
    status), `screening` and `due=1` (due for review). A new or renamed partner is screened
    against the restricted-party lists. Updates need the version you read (409 if stale)."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=Partner)
    serializer_class = PartnerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnerFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        # The filter set leaves archived partners out unless archived=1 is asked for.
        return Partner.objects.for_org(self.org).order_by("name", "pk")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        names = data.pop("other_names", [])
        serializer.instance = services.create_partner(
            org=self.org, actor=acting_user(self.request), values=data, other_names="\n".join(names)
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        names = data.pop("other_names", None)
        stored = serializer.instance
        values = {f: data.get(f, getattr(stored, f)) for f in services.PARTNER_FIELDS}
        serializer.instance = services.update_partner(
            org=self.org,
            actor=acting_user(self.request),
            partner=stored,
            expected_version=expected,
            values=values,
            other_names=None if names is None else "\n".join(names),
        )


class HitSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = ScreeningHit
        fields = [
            "id",
            "partner",
            "partner_name",
            "list_name",
            "entry_id",
            "screened_name",
            "listed_name",
            "matched_name",
            "score",
            "reasons",
            "status",
            "decision_reason",
            "decided_at",
            "reopened_because",
        ]


class HitViewSet(OrgScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Restricted-party screening hits of the organisation's partners, best match first.
    Filter with `status` (open, cleared, confirmed). Decisions are made on the page."""

    access = Access(scope="org", model=ScreeningHit)
    serializer_class = HitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = HitFilter

    def get_base_queryset(self) -> Any:
        return (
            ScreeningHit.objects.for_org(self.org)
            .select_related("partner")
            .order_by("-score", "pk")
        )
