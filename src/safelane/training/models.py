"""Training, awareness and personnel security (MSC categories 11 and 12): the people who must be
trained, the courses they must take, the sessions that trained them and who attended.

A person here is a worker of the organisation, not an account: the register keeps no more than
the criteria need (name, employee number, role, site, department, start date, active or not).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class PersonQuerySet(TenantQuerySet):
    def active(self) -> PersonQuerySet:
        return self.filter(active=True)


class Person(TenantModel):
    name = models.CharField(_("name"), max_length=150)
    employee_number = models.CharField(
        _("employee number"),
        max_length=40,
        help_text=_("The number HR knows the person by; imports match people on it."),
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    site = models.CharField(_("site"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("People who leave stay on record, inactive.")
    )
    imported_in = models.ForeignKey(
        "PeopleImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[PersonQuerySet] = PersonQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="one_person_per_employee_number"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "active", "name"]),
            models.Index(fields=["organisation", "site"]),
            models.Index(fields=["organisation", "role"]),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"


class PeopleImport(TenantModel):
    """One import of the people register from a file: its audit entry says what it changed."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.added} + {self.updated})"


class Topic(models.TextChoices):
    """What a course is about; the codes are an interface (the shipped courses, the API)."""

    THREAT_AWARENESS = "threat-awareness", _("Threat awareness")
    CONVEYANCE_INSPECTION = "conveyance-inspection", _("Conveyance and IIT inspection")
    SEALS = "seals", _("Seal security")
    AGRICULTURAL = "agricultural", _("Agricultural contamination and pests")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity and phishing")
    INCIDENT_REPORTING = "incident-reporting", _("Reporting incidents and suspicious activity")
    MONEY_LAUNDERING = "money-laundering", _("Trade-based money laundering and terrorism financing")
    FORCED_LABOUR = "forced-labour", _("Forced labour")
    SECURITY_TECHNOLOGY = "security-technology", _("Security technology")
    OTHER = "other", _("Other")


class CourseQuerySet(TenantQuerySet):
    def live(self) -> CourseQuerySet:
        return self.filter(archived_at__isnull=True)


class Course(TenantModel):
    """A course people must take: who (roles, sites), how often, and which criteria it serves.
    Its materials are evidence library documents linked to it."""

    key = models.SlugField(
        _("short name"), max_length=60, help_text=_("Stays the same when the title changes.")
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    description = models.TextField(_("what it covers"), blank=True)
    description_es = models.TextField(_("what it covers, in Spanish"), blank=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    roles = models.JSONField(
        _("roles that must take it"),
        default=list,
        blank=True,
        help_text=_("Empty: every role."),
    )
    sites = models.JSONField(
        _("sites where it is required"),
        default=list,
        blank=True,
        help_text=_("Empty: every site."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("How long a completion counts before it must be taken again; empty: once."),
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[CourseQuerySet] = CourseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_course_per_key")
        ]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        """The title in the reader's language where the course has one."""
        if (get_language() or "").startswith("es") and self.title_es:
            return self.title_es
        return self.title

    @property
    def shown_description(self) -> str:
        if (get_language() or "").startswith("es") and self.description_es:
            return self.description_es
        return self.description

    def required_for(self, role: str, site: str) -> bool:
        """Whether a person of `role` at `site` must take this course (names compared without
        case or extra spaces, as people type them)."""
        # The matrix asks this for every person; people share a few roles and sites.
        known = self.__dict__.setdefault("_required", {})
        if (role, site) not in known:
            known[role, site] = _among(role, self.roles) and _among(site, self.sites)
        return bool(known[role, site])


def _among(value: str, names: list[str]) -> bool:
    if not names:
        return True
    wanted = " ".join(value.split()).casefold()
    return any(" ".join(str(n).split()).casefold() == wanted for n in names)


class Mode(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ONLINE = "online", _("Online")
    ON_THE_JOB = "on-the-job", _("On the job")


class Check(models.TextChoices):
    """How the session checked that the training met its objective (12.4)."""

    NONE = "", _("No check recorded")
    QUIZ = "quiz", _("Quiz or test")
    PRACTICAL = "practical", _("Practical exercise")
    OBSERVATION = "observation", _("Observed at work")


class TrainingSession(TenantModel):
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=150)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.CLASSROOM)
    courses = models.ManyToManyField(Course, related_name="sessions", verbose_name=_("courses"))
    topics = models.TextField(
        _("topics covered"), blank=True, help_text=_("What the session covered, in a few words.")
    )
    check_method = models.CharField(
        _("check that it met its objective"),
        max_length=20,
        choices=Check.choices,
        blank=True,
        default=Check.NONE,
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "-held_on"])]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} · {self.trainer}"


class Attendance(TenantModel):
    """One person at one session, with their score where the session was checked. A person who
    did not reach the pass mark attended but did not complete the courses."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    score = models.PositiveSmallIntegerField(
        _("score (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    passed = models.BooleanField(_("met the objective"), default=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_person")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.session_id}"


class ScreeningResult(models.TextChoices):
    """All Safelane keeps of a background check (11.1, 11.2): the details stay with HR."""

    CLEARED = "cleared", _("Cleared")
    NOT_CLEARED = "not-cleared", _("Not cleared")


class Screening(TenantModel):
    """One background check of a person: when, its result, who recorded it, and when policy
    asks for the next one. Only owners and managers see these."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="screenings")
    screened_on = models.DateField(_("screened on"))
    result = models.CharField(_("result"), max_length=20, choices=ScreeningResult.choices)
    next_due = models.DateField(
        _("re-screen by"),
        null=True,
        blank=True,
        help_text=_("Where the company's policy asks for periodic re-screening (11.2)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-screened_on", "-pk"]
        verbose_name = _("background screening")
        verbose_name_plural = _("background screenings")

    def __str__(self) -> str:
        return f"{self.person_id} {self.screened_on:%Y-%m-%d} {self.result}"


class ConductAcknowledgement(TenantModel):
    """A person's acknowledgement that they read and understood the code of conduct (11.5), by
    the version of the code they read."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="acknowledgements")
    code_version = models.CharField(
        _("version of the code"), max_length=40, help_text=_("As the code names it: 2026-01, v3.")
    )
    acknowledged_on = models.DateField(_("acknowledged on"))

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-acknowledged_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "code_version"], name="one_acknowledgement_per_code_version"
            )
        ]
        verbose_name = _("code of conduct acknowledgement")
        verbose_name_plural = _("code of conduct acknowledgements")

    def __str__(self) -> str:
        return f"{self.person_id} {self.code_version}"
