"""A document of the evidence library mapped to the criteria of an assessment: its passages and,
for each, the criteria the ranker proposes, each accepted or rejected by a person."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Reading")
    DONE = "done", _("Ready to review")
    FAILED = "failed", _("Could not be read")


class MappedDocument(TenantModel):
    """One reading of one version of a library document, against one assessment's criteria."""

    evidence = models.ForeignKey(
        "evidence.Evidence", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    evidence_version = models.ForeignKey(
        "evidence.EvidenceVersion", on_delete=models.CASCADE, related_name="+"
    )
    cycle = models.ForeignKey(
        "assessments.AssessmentCycle",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("self-assessment"),
    )
    job = models.ForeignKey("jobs.Job", null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    message = models.TextField(blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    pages_without_text = models.JSONField(default=list, blank=True)
    passage_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mapped document")
        verbose_name_plural = _("mapped documents")

    def __str__(self) -> str:
        return f"{self.evidence} v{self.evidence_version.number}"


class Passage(TenantModel):
    document = models.ForeignKey(MappedDocument, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    # The passage's words, normalised, hashed: the same passage in a new version of the
    # document keeps the decisions taken on it.
    fingerprint = models.CharField(max_length=64)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="one_passage_position")
        ]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.TextChoices):
    PENDING = "", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Proposal(TenantModel):
    """The ranker's proposal that a passage evidences a criterion, and what a person made of it."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="proposals")
    criterion_ident = models.CharField(_("criterion"), max_length=20)
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    spans = models.JSONField(default=list, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, blank=True, choices=Decision.choices, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Taken from the same passage in an earlier version of the document.
    carried = models.BooleanField(default=False)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["passage", "criterion_ident"], name="one_proposal_per_criterion"
            )
        ]
        indexes = [models.Index(fields=["organisation", "criterion_ident"])]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.criterion_ident} ← {self.passage_id}"
