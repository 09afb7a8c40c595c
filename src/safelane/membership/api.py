"""API of the CTPAT membership: `GET/PATCH /api/v1/orgs/<org>/membership/`, with its clocks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safelane.core.api import VersionField
from safelane.membership import clocks, selectors, services
from safelane.membership.models import CtpatMembership
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Organisation, Role


class ClocksSerializer(serializers.Serializer):
    """Each clock as an ISO date, or null where it does not run."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {key: serializers.DateField(allow_null=True, read_only=True) for key in clocks.KEYS}


class MembershipSerializer(serializers.ModelSerializer):
    version = VersionField(
        required=False,
        min_value=0,
        help_text=_("The version you read (0 before anything is recorded); 409 if stale."),
    )
    mra_programmes = serializers.ListField(
        child=serializers.ChoiceField(choices=selectors.mra_programmes()),
        required=False,
        max_length=20,
    )
    note = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text=_("Goes into the status history with a new status."),
    )
    clocks = serializers.SerializerMethodField()

    class Meta:
        model = CtpatMembership
        fields = [*services.FIELDS, "note", "clocks", "version", "updated_at"]
        read_only_fields = ["updated_at"]

    @extend_schema(responses=ClocksSerializer)
    def get_clocks(self, record: CtpatMembership) -> dict[str, Any]:
        return selectors.clocks_json(record)

    def to_representation(self, instance: CtpatMembership) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.pk is None:
            data["version"] = 0
        return data


class MembershipDetail(OrgScopedAPIMixin):
    """The organisation's CTPAT membership: status, tier, dates, account number, mutual
    recognitions, and its clocks (read-only ISO dates, null where a clock does not run).
    Managers and owners change it with PATCH, sending the version they read (409 if stale)."""

    access = Access(scope="org", write=Role.MANAGER, model=Organisation)
    serializer_class = MembershipSerializer

    def get_base_queryset(self) -> Any:
        return CtpatMembership.objects.for_org(self.org)

    def get(self, request: Request, org_slug: str) -> Response:
        return Response(self.get_serializer(selectors.membership(self.org)).data)

    @extend_schema(request=MembershipSerializer, responses=MembershipSerializer)
    def patch(self, request: Request, org_slug: str) -> Response:
        stored = selectors.membership(self.org)
        serializer = self.get_serializer(stored, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        expected = values.pop("version", None)
        note = values.pop("note", "")
        if expected is None:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        record = services.save_membership(
            org=self.org,
            actor=acting_user(request),
            values=values,
            expected_version=expected or None,
            note=note,
        )
        return Response(self.get_serializer(record).data)
