from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class CycleKind(models.TextChoices):
    INITIAL = "initial", _("Initial self-assessment")
    ANNUAL = "annual", _("Annual security profile review")
    REVALIDATION = "revalidation", _("Revalidation preparation")
    MOCK = "mock", _("Mock validation")


class AssessmentCycle(TenantModel):
    kind = models.CharField(_("kind"), max_length=20, choices=CycleKind.choices)
    title = models.CharField(_("title"), max_length=200)
    catalog_version = models.ForeignKey(
        "catalog.CatalogVersion", on_delete=models.PROTECT, related_name="+"
    )
    started_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started from"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    MET = "met", _("Met")
    PARTIAL = "partial", _("Partially met")
    NOT_MET = "not-met", _("Not met")
    NOT_APPLICABLE = "not-applicable", _("Not applicable")


class Response(TenantModel):
    """How the company meets one criterion, within one cycle."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="responses")
    criterion_ident = models.CharField(_("criterion"), max_length=20)
    own_criterion = models.ForeignKey(
        "catalog.OwnCriterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField()
    category = models.PositiveSmallIntegerField(null=True, blank=True)
    must_should = models.CharField(max_length=10)
    requirement = models.TextField()
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    narrative = models.TextField(_("how we meet it"), blank=True)
    justification = models.TextField(_("why it does not apply"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    evidence_links = GenericRelation(
        "evidence.EvidenceLink", content_type_field="subject_type", object_id_field="subject_id"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "criterion_ident"], name="one_response_per_criterion"
            )
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.criterion_ident} ({self.cycle})"


class Comment(TenantModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:40]
