"""API of field inspections: list and read inspections with their points, and send a finished
one, with its photos, exactly once (its client id: a resend answers 200 with the first record)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from safelane.inspections import selectors, services
from safelane.inspections.models import Checklist, Inspection, Outcome, PointResult, Site
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Role


class PointResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = PointResult
        fields = ["point", "position", "section", "title", "criteria", "outcome", "note"]


class InspectionSerializer(serializers.ModelSerializer):
    results = PointResultSerializer(many=True, read_only=True)
    site = serializers.CharField(source="site.name", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "client_id",
            "checklist",
            "checklist_title",
            "site",
            "tractor",
            "trailer",
            "container",
            "seals",
            "driver",
            "signed_name",
            "device_time",
            "recorded_at",
            "failed",
            "needs_signoff",
            "signed_off_at",
            "results",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    point = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ResultsField(serializers.ListField):
    """The points' results: a list, or in a multipart form the same list as a JSON string."""

    child = AnswerSerializer()

    def get_value(self, dictionary: Any) -> Any:
        if hasattr(dictionary, "getlist") and isinstance(dictionary.get(self.field_name), str):
            return dictionary.get(self.field_name)
        return super().get_value(dictionary)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError as error:
                raise serializers.ValidationError(_("Send the results as a JSON list.")) from error
        return super().to_internal_value(data)


class InspectionSendSerializer(serializers.Serializer):
    """A finished inspection. Photos come as files named `photos-<point id>` beside it."""

    client_id = serializers.UUIDField()
    checklist = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    site = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    tractor = serializers.CharField(max_length=40, required=False, allow_blank=True)
    trailer = serializers.CharField(max_length=40, required=False, allow_blank=True)
    container = serializers.CharField(max_length=20, required=False, allow_blank=True)
    seals = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    driver = serializers.CharField(max_length=150, required=False, allow_blank=True)
    signed_name = serializers.CharField(max_length=150)
    attested = serializers.BooleanField()
    device_time = serializers.DateTimeField(required=False, allow_null=True)
    results = ResultsField(max_length=200)


class InspectionViewSet(
    OrgScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Inspections, newest first, each with its points' results. Send a finished one (POST,
    JSON or multipart with photos as `photos-<point id>`) with the id its device made
    (`client_id`): the first send answers 201, a resend 200 with the record the first made."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=Inspection)
    serializer_class = InspectionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_base_queryset(self) -> Any:
        return selectors.inspections(self.org).prefetch_related("results")

    @extend_schema(
        request=InspectionSendSerializer,
        responses={
            201: InspectionSerializer,
            200: OpenApiResponse(InspectionSerializer, description="Sent before: the record."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        sent = InspectionSendSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = dict(sent.validated_data)
        checklist = Checklist.objects.for_org(self.org).filter(pk=data.pop("checklist")).first()
        site = Site.objects.for_org(self.org).filter(pk=data.pop("site")).first()
        if checklist is None or site is None:
            raise serializers.ValidationError(
                {"checklist": [_("Choose a checklist and a site of this organisation.")]}
            )
        results = {r["point"]: r for r in data.pop("results")}
        photos = {
            int(name.split("-", 1)[1]): request.FILES.getlist(name)
            for name in request.FILES
            if name.startswith("photos-") and name.split("-", 1)[1].isdigit()
        }
        got = services.receive_inspection(
            org=self.org,
            actor=acting_user(request),
            client_id=data.pop("client_id"),
            checklist=checklist,
            site=site,
            values=data,
            results=results,
            photos=photos,
        )
        record = self.get_base_queryset().get(pk=got.inspection.pk)
        code = status.HTTP_201_CREATED if got.created else status.HTTP_200_OK
        return Response(InspectionSerializer(record).data, status=code)
