"""API of security questionnaires: list and read them (answers included), send one to a
partner contact, and revoke a link (with the version check)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safelane.core.api import VersionField
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Role
from safelane.questionnaires import scoring, selectors, services
from safelane.questionnaires.filtersets import QuestionnaireFilter
from safelane.questionnaires.models import Answer, Questionnaire, QuestionnaireTemplate


class QuestionnaireSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    link_state = serializers.CharField(
        read_only=True, help_text=_("live, expired, revoked, or closed (submitted or accepted).")
    )
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "partner",
            "partner_name",
            "template",
            "title",
            "language",
            "recipient_name",
            "recipient_email",
            "status",
            "link_state",
            "link_issued_at",
            "expires_at",
            "revoked_at",
            "respondent_name",
            "submitted_at",
            "accepted_at",
            "score",
            "level",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    score = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("0-100: a person's score, else the automatic one."),
    )
    answer = serializers.SerializerMethodField(help_text=_("The answer as the partner gave it."))

    class Meta:
        model = Answer
        fields = [
            "key",
            "position",
            "parent_key",
            "kind",
            "text",
            "criteria",
            "required",
            "weight",
            "value",
            "answer",
            "score",
            "review_note",
        ]
        read_only_fields = fields

    def get_answer(self, answer: Answer) -> str:
        return scoring.shown_value(answer)


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    answers = serializers.SerializerMethodField()

    class Meta(QuestionnaireSerializer.Meta):
        fields = [*QuestionnaireSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, questionnaire: Questionnaire) -> list[dict[str, Any]]:
        org = self.context["view"].org
        return AnswerSerializer(selectors.answers(org, questionnaire), many=True).data  # type: ignore[return-value]


class SendSerializer(serializers.Serializer):
    partner = serializers.IntegerField(min_value=1)
    template = serializers.IntegerField(min_value=1)
    contact = serializers.IntegerField(min_value=1, help_text=_("One of the partner's contacts."))
    days = serializers.IntegerField(
        min_value=1, max_value=services.MAX_DAYS, default=services.DEFAULT_DAYS
    )
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        org = self.context["view"].org
        partner = selectors.partner_model().objects.for_org(org).filter(pk=attrs["partner"]).first()
        if partner is None:
            raise serializers.ValidationError({"partner": [_("No such partner here.")]})
        template = QuestionnaireTemplate.objects.for_org(org).filter(pk=attrs["template"]).first()
        if template is None:
            raise serializers.ValidationError({"template": [_("No such template here.")]})
        contact = partner.contacts.for_org(org).filter(pk=attrs["contact"]).first()
        if contact is None:
            raise serializers.ValidationError(
                {"contact": [_("Choose one of the partner's contacts.")]}
            )
        return {**attrs, "partner": partner, "template": template, "contact": contact}


class RevokeSerializer(serializers.Serializer):
    version = VersionField()


class QuestionnaireViewSet(
    OrgScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Security questionnaires sent to business partners, newest first. Filter with `status`,
    `link` (live, expired, revoked), `partner` (its id) and `q` (partner name or e-mail). A
    questionnaire is read with its answers. Sending (POST) e-mails the contact a link that
    needs no account; the link itself is never shown. Revoking needs the version you read."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=Questionnaire)
    filter_backends = [DjangoFilterBackend]
    filterset_class = QuestionnaireFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_base_queryset(self) -> Any:
        return (
            Questionnaire.objects.for_org(self.org)
            .select_related("partner")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return QuestionnaireDetailSerializer
        if self.action == "create":
            return SendSerializer
        # A refused revoke (409) answers with the questionnaire as it is now.
        return QuestionnaireSerializer

    @extend_schema(request=SendSerializer, responses={201: QuestionnaireSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = SendSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        questionnaire = services.send_questionnaire(
            org=self.org,
            actor=acting_user(request),
            template=data["template"],
            partner=data["partner"],
            contact=data["contact"],
            days=data["days"],
            message=data["message"],
        )
        body = QuestionnaireSerializer(questionnaire, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses=QuestionnaireSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Stop the link working at once; re-issue it from the questionnaire's page."""
        questionnaire = self.get_object()
        incoming = RevokeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        revoked = services.revoke_link(
            org=self.org,
            actor=acting_user(request),
            questionnaire=questionnaire,
            expected_version=incoming.validated_data["version"],
        )
        return Response(
            QuestionnaireSerializer(revoked, context=self.get_serializer_context()).data
        )
