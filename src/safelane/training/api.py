"""API of training: the people register (list with filters, read, create, update with the
version check), courses (read, and a manager's update), sessions (list, read, record one with its
attendance) and the training matrix (a row per active person, a cell per course)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets

from safelane.core.api import VersionField
from safelane.orgs.access import Access, OrgScopedAPIMixin, acting_user
from safelane.orgs.models import Role
from safelane.training import selectors, services
from safelane.training.filtersets import PersonFilter, SessionFilter
from safelane.training.models import Attendance, Course, Person, TrainingSession


def _version(data: dict[str, Any]) -> int:
    expected = data.pop("version", None)
    if expected is None:
        raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
    return int(expected)


class ServiceUpdates(OrgScopedAPIMixin):
    """An update goes through the app's service (`updates`, naming the record `record`), with
    the version the client read."""

    updates: Any
    record: str

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = _version(data)
        serializer.instance = type(self).updates(
            org=self.org,
            actor=acting_user(self.request),
            expected_version=expected,
            values=data,
            **{self.record: serializer.instance},
        )


class PersonSerializer(serializers.ModelSerializer):
    version = VersionField(required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "employee_number",
            "name",
            "role",
            "site",
            "department",
            "start_date",
            "active",
            "created_at",
            "version",
        ]
        read_only_fields = ["id", "created_at"]
        # The uniqueness of an employee number is the service's rule (a 400 that names it).
        validators: list[Any] = []


class PersonViewSet(
    ServiceUpdates,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The people register, by name. Filter with `q` (name or employee number), `site`, `role`
    and `active` (empty: active people; `0`: inactive; `all`). A person who leaves is updated
    with `active: false`, never deleted. Updates need the version you read (409 if stale)."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=Person)
    serializer_class = PersonSerializer
    updates = services.update_person
    record = "person"
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        return selectors.people(self.org)

    def filter_queryset(self, queryset: Any) -> Any:
        # The filters narrow the list; one person is found by id, active or not.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.create_person(
            org=self.org, actor=acting_user(self.request), values=data
        )


class CourseSerializer(serializers.ModelSerializer):
    version = VersionField(required=False)
    criteria = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=50
    )
    roles = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )
    sites = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "key",
            "title",
            "title_es",
            "description",
            "description_es",
            "topic",
            "criteria",
            "roles",
            "sites",
            "validity_months",
            "archived_at",
            "version",
        ]
        read_only_fields = ["id", "key", "archived_at"]


class CourseViewSet(
    ServiceUpdates,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's courses: who must take each (`roles`, `sites`; empty lists mean
    everyone), how long a completion counts (`validity_months`) and the MSC criteria it serves.
    Changing a course is a manager's call and needs the version you read (409 if stale)."""

    access = Access(scope="org", write=Role.MANAGER, model=Course)
    serializer_class = CourseSerializer
    updates = services.update_course
    record = "course"
    http_method_names = ["get", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        return selectors.all_courses(self.org)


class AttendanceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    employee_number = serializers.CharField(source="person.employee_number", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "person", "name", "employee_number", "score", "passed"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class OrgPrimaryKeys(serializers.PrimaryKeyRelatedField):
    """Ids of the organisation's own records; another organisation's answer as missing ones."""

    def __init__(self, model: type, **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        view = self.context["view"]
        return self.model.objects.for_org(view.org)  # type: ignore[attr-defined]


class SessionSerializer(serializers.ModelSerializer):
    version = VersionField(required=False)
    courses = OrgPrimaryKeys(Course, many=True)
    people = OrgPrimaryKeys(
        Person,
        many=True,
        write_only=True,
        required=False,
        help_text=_("The ids of the people who attended (on creation)."),
    )
    attendance = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "held_on",
            "trainer",
            "mode",
            "courses",
            "topics",
            "check_method",
            "pass_mark",
            "people",
            "attendance",
            "created_at",
            "version",
        ]
        read_only_fields = ["id", "attendance", "created_at"]


class SessionViewSet(
    OrgScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Training sessions, newest first, each with its attendance and scores. Filter with
    `held_after`, `held_before` and `course` (its id). Record one with the ids of its `courses`
    and of the `people` who attended; updates need the version you read (409 if stale)."""

    access = Access(scope="org", write=Role.CONTRIBUTOR, model=TrainingSession)
    serializer_class = SessionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SessionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> Any:
        return TrainingSession.objects.for_org(self.org).prefetch_related(
            "courses", "attendance__person"
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        courses, people = data.pop("courses", []), data.pop("people", [])
        serializer.instance = services.create_session(
            org=self.org,
            actor=acting_user(self.request),
            values=data,
            courses=courses,
            people=people,
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = _version(data)
        data.pop("people", None)
        courses = data.pop("courses", None)
        serializer.instance = services.update_session(
            org=self.org,
            actor=acting_user(self.request),
            session=serializer.instance,
            expected_version=expected,
            values=data,
            courses=courses,
        )


class CellSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    state = serializers.ChoiceField(choices=list(selectors.STATE_LABELS))
    done_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class MatrixRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    employee_number = serializers.CharField(source="person.employee_number")
    name = serializers.CharField(source="person.name")
    role = serializers.CharField(source="person.role")
    site = serializers.CharField(source="person.site")
    cells = serializers.SerializerMethodField()

    def get_cells(self, row: Any) -> list[dict[str, Any]]:
        courses = self.context["courses"]
        return [
            {"course": c.pk, "state": cell.state, "done_on": cell.done_on, "due_on": cell.due_on}
            for c, cell in zip(courses, row.cells, strict=True)
        ]


MATRIX_PARAMETERS = [
    OpenApiParameter("site", str, description="People of this site."),
    OpenApiParameter("role", str, description="People of this role."),
    OpenApiParameter("q", str, description="Name or employee number holds this."),
]


@extend_schema(parameters=MATRIX_PARAMETERS)
class MatrixViewSet(OrgScopedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The training matrix: a row per active person, by name, with a cell per live course
    (`done`, `due-soon`, `overdue` or `not-required`, the date of the last completion that
    counted and when it is due again). Filter with `site`, `role` and `q`."""

    access = Access(scope="org", model=Person)
    serializer_class = MatrixRowSerializer

    def get_base_queryset(self) -> Any:
        params = self.request.query_params
        where = selectors.MatrixFilter(
            site=params.get("site", "")[:100],
            role=params.get("role", "")[:100],
            q=params.get("q", "")[:100],
        )
        return selectors.matrix_people(self.org, where)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and hasattr(self, "org"):
            context["courses"] = self._courses()
        return context

    def _courses(self) -> list[Course]:
        if not hasattr(self, "_live"):
            self._live = list(selectors.courses(self.org))
        return self._live

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args and not getattr(self, "swagger_fake_view", False):
            args = (selectors.matrix_rows(self.org, args[0], self._courses()), *args[1:])
        return super().get_serializer(*args, **kwargs)
