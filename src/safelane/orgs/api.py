"""API of organisations and their members."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from safelane.core.api import VersionField
from safelane.orgs import selectors, services
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Membership, Organisation, Role


class MyOrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    role = serializers.ChoiceField(choices=Role.choices)


class MyOrganisationList(generics.ListAPIView):
    """The organisations the caller belongs to, with the caller's role in each."""

    access = Access(scope="user")
    serializer_class = MyOrganisationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.memberships_of(acting_user(self.request))


class OrganisationSerializer(serializers.ModelSerializer):
    version = VersionField()
    country = serializers.CharField(max_length=2)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "country", "default_language", "currency", "version"]
        read_only_fields = ["slug"]

    def validate_country(self, value: str) -> str:
        from django_countries import countries

        code = value.upper()
        if code not in dict(countries):
            raise serializers.ValidationError("Use a two-letter ISO 3166 country code, such as US.")
        return code


class OrganisationDetail(OrgScopedAPIMixin):
    """The organisation's profile. Managers and owners may change it."""

    access = Access(scope="org", write=Role.MANAGER, model=Organisation)
    serializer_class = OrganisationSerializer

    def get_base_queryset(self) -> Any:
        return Organisation.objects.filter(pk=self.org.pk)

    def get(self, request: Request, org_slug: str) -> Response:
        return Response(self.get_serializer(self.org).data)

    @extend_schema(request=OrganisationSerializer, responses=OrganisationSerializer)
    def patch(self, request: Request, org_slug: str) -> Response:
        serializer = self.get_serializer(self.org, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        expected = values.pop("version", None)
        if expected is None:
            raise serializers.ValidationError({"version": ["Send the version you last read."]})
        org = services.update_organisation(
            org=self.org,
            actor=acting_user(request),
            expected_version=expected,
            values=values,
        )
        return Response(self.get_serializer(org).data)


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.full_name", read_only=True)
    version = VersionField(required=False)

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "version", "created_at"]
        read_only_fields = ["id", "email", "name", "created_at"]


class MemberViewSet(
    OrgScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Members and their roles. Only owners change roles, sending the version they read (409
    if someone changed it since); the last owner keeps the role."""

    access = Access(scope="org", write=Role.OWNER, model=Membership)
    serializer_class = MemberSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        return selectors.members(self.org)

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        if data.get("version") is None:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        serializer.instance = services.change_role(
            org=self.org,
            actor=acting_user(self.request),
            membership=serializer.instance,
            role=Role(data.get("role", serializer.instance.role)),
            expected_version=data.get("version"),
        )
