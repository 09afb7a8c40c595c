"""API of the action plan: list, read, create and update actions (with the version check)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from safelane.actions import services
from safelane.actions.filtersets import ActionFilter
from safelane.actions.models import Action
from safelane.actions.origins import ORIGINS
from safelane.core.api import VersionField
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Membership, Role

CRITERION_ID = r"^(\d{1,2}\.\d{1,2}|own:[\w.-]{1,16})$"


class MemberEmailField(serializers.EmailField):
    """A person named by e-mail, who must be a member of the organisation."""

    def to_representation(self, value: Any) -> Any:
        return value.email if value else None

    def run_validation(self, data: Any = serializers.empty) -> Any:
        email = super().run_validation(data)  # a well-formed address, or None
        if email is None:
            return None
        org = self.context["view"].org
        membership = (
            Membership.objects.for_org(org)
            .select_related("user")
            .filter(user__email__iexact=email)
            .first()
        )
        if membership is None:
            raise serializers.ValidationError(_("Nobody with that e-mail is a member here."))
        return membership.user


class ActionSerializer(serializers.ModelSerializer):
    version = VersionField(required=False)
    owner = MemberEmailField(required=False, allow_null=True)
    criteria = serializers.ListField(
        child=serializers.RegexField(CRITERION_ID, max_length=20),
        required=False,
        max_length=50,
    )
    overdue = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField(
        help_text=_("The answer whose gap it closes (its id), if it came from one.")
    )
    origin = serializers.SerializerMethodField(
        help_text=_("What it treats, as kind and id (such as a response or a risk), or null.")
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "source",
            "kind",
            "criteria",
            "response",
            "origin",
            "owner",
            "due_date",
            "priority",
            "status",
            "recurrence",
            "completed_at",
            "completion_note",
            "verified_at",
            "overdue",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "id",
            "response",
            "completed_at",
            "verified_at",
            "created_at",
        ]

    def get_response(self, action: Action) -> int | None:
        kind = ORIGINS.of_type(action.origin_type_id)
        return action.origin_id if kind is not None and kind.name == "response" else None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"kind": {"type": "string"}, "id": {"type": "integer"}},
        }
    )
    def get_origin(self, action: Action) -> dict[str, Any] | None:
        kind = ORIGINS.of_type(action.origin_type_id)
        return {"kind": kind.name, "id": action.origin_id} if kind is not None else None

    def get_overdue(self, action: Action) -> bool:
        return bool(action.is_open and action.due_date and action.due_date < timezone.localdate())


class ActionViewSet(
    OrgScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Actions of the action plan, by due date. Filter with `status`, `owner` (an e-mail, or
    `me`) and `overdue`. Changing `status` records completion and schedules the next
    occurrence of a recurring action, as on the page, in the same transaction as the rest of
    the change. Updates need the version you read (409 if someone saved it since)."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=Action)
    serializer_class = ActionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        return (
            Action.objects.for_org(self.org)
            .active()
            .select_related("owner", "origin_type")
            .order_by("due_date", "pk")
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.create_action(
            org=self.org, actor=acting_user(self.request), values=data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        serializer.instance = services.update_action(
            org=self.org,
            actor=acting_user(self.request),
            action=serializer.instance,
            expected_version=expected,
            values=data,
        ).action
