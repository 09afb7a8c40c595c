"""API of the action plan: list, read, create and update actions (with the version check)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets

from safelane.actions import services
from safelane.actions.models import Action, ActionStatus
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
    `me`) and `overdue=1`. Changing `status` records completion and schedules the next
    occurrence of a recurring action, as on the page. Updates need the version you read (409
    if someone saved it since)."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=Action)
    serializer_class = ActionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        qs = (
            Action.objects.for_org(self.org)
            .active()
            .select_related("owner")
            .order_by("due_date", "pk")
        )
        params = self.request.query_params
        if params.get("status", "") in ActionStatus.values:
            qs = qs.filter(status=params["status"])
        owner = params.get("owner", "")
        if owner == "me":
            qs = qs.filter(owner=self.request.user)
        elif owner:
            qs = qs.filter(owner__email__iexact=owner)
        if params.get("overdue") == "1":
            qs = qs.overdue()
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        status = data.pop("status", None)
        actor = acting_user(self.request)
        action = services.create_action(org=self.org, actor=actor, values=data)
        if status and status != action.status:
            action = services.set_status(
                org=self.org, actor=actor, action=action, status=status
            ).action
        serializer.instance = action

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        status = data.pop("status", None)
        actor = acting_user(self.request)
        action = services.update_action(
            org=self.org,
            actor=actor,
            action=serializer.instance,
            expected_version=expected,
            values=data,
        )
        if status and status != action.status:
            note = data.get("completion_note", "")
            action = services.set_status(
                org=self.org, actor=actor, action=action, status=status, note=note
            ).action
        serializer.instance = action
