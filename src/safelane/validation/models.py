"""Validations: a mock one the company runs on itself to rehearse, and the real one a CBP supply
chain security specialist makes. Each has a plan of criteria to look at (the checklist), and
findings, which become actions."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class Kind(models.TextChoices):
    MOCK = "mock", _("Mock validation")
    CBP = "cbp", _("CBP validation")


class Validation(TenantModel):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MOCK)
    title = models.CharField(_("title"), max_length=200)
    visit_on = models.DateField(_("date of the visit"), null=True, blank=True)
    sites = models.TextField(
        _("sites to visit"), blank=True, help_text=_("One site a line: the places to walk.")
    )
    notice_received_on = models.DateField(
        _("notice received on"),
        null=True,
        blank=True,
        help_text=_("When CBP's notice of validation arrived (CBP gives at least 30 days)."),
    )
    specialist = models.CharField(
        _("CBP supply chain security specialist"), max_length=150, blank=True
    )
    cycle = models.ForeignKey(
        "assessments.AssessmentCycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("self-assessment"),
    )
    seed = models.PositiveIntegerField(default=0, editable=False)
    share = models.PositiveSmallIntegerField(default=0, editable=False)
    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("validation")
        verbose_name_plural = _("validations")

    def __str__(self) -> str:
        return self.title


class Reason(models.TextChoices):
    MUST_GAP = "must-gap", _("A Must with a gap")
    SAMPLED = "sampled", _("Sampled (weighted by risk)")
    ADDED = "added", _("Added by the reviewer")


class Result(models.TextChoices):
    NOT_CHECKED = "", _("Not checked yet")
    OK = "ok", _("Seen and in order")
    FINDING = "finding", _("Finding")


class PlanItem(TenantModel):
    """One criterion on the plan, with the documents to ask for: a line of the checklist."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="items")
    criterion_ident = models.CharField(_("criterion"), max_length=20)
    category = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    must_should = models.CharField(max_length=10, blank=True)
    requirement = models.TextField(blank=True)
    documents = models.JSONField(default=list, blank=True)
    documents_es = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    note = models.TextField(_("what was seen"), blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["validation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["validation", "criterion_ident"], name="one_plan_item_per_criterion"
            )
        ]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.criterion_ident


class FindingKind(models.TextChoices):
    REQUIRED = "required", _("Required action")
    RECOMMENDATION = "recommendation", _("Recommendation")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


class FindingQuerySet(TenantQuerySet):
    def still_open(self) -> FindingQuerySet:
        return self.exclude(status=FindingStatus.CLOSED)


class Finding(TenantModel):
    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="findings")
    criterion_ident = models.CharField(_("criterion"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=20, choices=FindingKind.choices, default=FindingKind.REQUIRED
    )
    text = models.TextField(_("finding"))
    response_due = models.DateField(_("response due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    response = models.TextField(_("our response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[FindingQuerySet] = FindingQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["validation", "criterion_ident", "pk"]
        indexes = [models.Index(fields=["organisation", "status"])]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.criterion_ident}: {self.text[:60]}"
