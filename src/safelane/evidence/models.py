from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet

SOON = datetime.timedelta(days=30)


def expired_q() -> Q:
    """Evidence past its review date."""
    return Q(review_date__lt=timezone.localdate())


def expiring_q() -> Q:
    """Evidence due for review within SOON."""
    today = timezone.localdate()
    return Q(review_date__gte=today, review_date__lte=today + SOON)


class EvidenceQuerySet(TenantQuerySet):
    def active(self) -> EvidenceQuerySet:
        return self.filter(archived_at__isnull=True)

    def expired(self) -> EvidenceQuerySet:
        return self.filter(expired_q())

    def expiring(self) -> EvidenceQuerySet:
        return self.filter(expiring_q())


class Evidence(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    effective_from = models.DateField(_("covers from"), null=True, blank=True)
    effective_to = models.DateField(_("covers until"), null=True, blank=True)
    review_date = models.DateField(
        _("review or expiry date"),
        null=True,
        blank=True,
        help_text=_("When this evidence must be reviewed or replaced."),
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[EvidenceQuerySet] = EvidenceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["title"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title

    @property
    def expiry_state(self) -> str:
        if self.review_date is None:
            return ""
        today = timezone.localdate()
        if self.review_date < today:
            return "expired"
        return "soon" if self.review_date <= today + SOON else ""


class EvidenceVersion(TenantModel):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(max_length=500)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="one_version_number")
        ]
        verbose_name = _("evidence version")
        verbose_name_plural = _("evidence versions")

    def __str__(self) -> str:
        return f"{self.evidence} v{self.number}"


class ToConfirm(models.TextChoices):
    """Why a link carried over from last year's record waits for a person to re-confirm it."""

    NO = "", _("Confirmed")
    EXPIRED = "expired", _("Past its review date")
    CHANGED = "changed", _("New version since it was linked")


class EvidenceLink(TenantModel):
    """Evidence attached to a criterion (by ID) and to the record it supports: an answer, an
    action it shows done, or whatever kind another app registers (see `evidence.subjects`).
    A link carried over to next year's record (`carried`) says why it needs a fresh look."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    criterion_ident = models.CharField(_("criterion"), max_length=20, blank=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    carried = models.BooleanField(_("carried over"), default=False)
    to_confirm = models.CharField(
        _("to re-confirm"), max_length=10, blank=True, choices=ToConfirm.choices
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "criterion_ident", "subject_type", "subject_id"],
                name="one_link_per_subject",
            )
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self) -> str:
        return f"{self.evidence} → {self.criterion_ident or self.subject_id or ''}"
